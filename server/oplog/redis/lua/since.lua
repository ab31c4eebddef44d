-- sinceScript reads the log from a sequence number. KEYS meta log; ARGV
-- epoch, from, count. Returns {-1} on another epoch, else {seq, entries}.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return {-1} end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
return {seq, redis.call('XRANGE', KEYS[2], ARGV[2] .. '-1', '+', 'COUNT', ARGV[3])}
