-- markReadScript reads what completes a version at seq: the versions at
-- or just before it (records with their seqs) and the ops since the
-- previous one. KEYS meta log versions; ARGV epoch, seq.
-- Returns {-1} on another epoch, else {{record, seq, ...}, entries}.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return {-1} end
local seq = tonumber(ARGV[2])
local near = redis.call('ZREVRANGEBYSCORE', KEYS[3], seq, '-inf', 'WITHSCORES', 'LIMIT', 0, 2)
local from = 1
for i = 2, #near, 2 do
  local s = tonumber(near[i])
  if s < seq then from = s + 1 break end
end
return {near, redis.call('XRANGE', KEYS[2], from .. '-0', seq .. '-1')}
