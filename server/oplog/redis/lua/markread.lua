-- markReadScript reads what completes a version at seq: the versions at
-- or just before it (records with their seqs), the first version after
-- it (replicas mark out of order: that one then counts from this one),
-- and the ops since the previous version up to the later of the two.
-- KEYS meta log versions; ARGV epoch, seq.
-- Returns {-1} on another epoch, else {{record, seq, ...}, entries,
-- {record, seq} or {}}.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return {-1} end
local seq = tonumber(ARGV[2])
local near = redis.call('ZREVRANGEBYSCORE', KEYS[3], seq, '-inf', 'WITHSCORES', 'LIMIT', 0, 2)
local from = 1
for i = 2, #near, 2 do
  local s = tonumber(near[i])
  if s < seq then from = s + 1 break end
end
local nxt = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. seq, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
local to = seq
if #nxt == 2 then to = tonumber(nxt[2]) end
return {near, redis.call('XRANGE', KEYS[2], from .. '-0', to .. '-1'), nxt}
