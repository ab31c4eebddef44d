-- putVersionScript stores a version record at seq, built from the
-- versions around it as markread.lua saw them: if they changed since (a
-- replica marked next to it meanwhile), nothing is stored and the caller
-- reads again. A clear or a removal is never replaced by a checkpoint (a
-- record's first byte is its kind: 1 checkpoint, 2 clear, 3 removal). When a later version
-- was marked first, its record is rebuilt to count from this one and
-- stored with it, atomically.
-- KEYS meta versions; ARGV epoch, seq, record, prevSeq (-1: none),
-- nextSeq (-1: none), next record as read, next record rebuilt.
-- Returns -1 on another epoch, 2 when the versions around seq changed,
-- 0 when a clear is kept, 1 when stored.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
local seq = tonumber(ARGV[2])
local function score(r)
  if #r == 2 then return tonumber(r[2]) end
  return -1
end
local p = redis.call('ZREVRANGEBYSCORE', KEYS[2], '(' .. seq, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
local n = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. seq, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
if score(p) ~= tonumber(ARGV[4]) or score(n) ~= tonumber(ARGV[5]) or (#n == 2 and n[1] ~= ARGV[6]) then return 2 end
local old = redis.call('ZRANGEBYSCORE', KEYS[2], seq, seq)
if #old > 0 and string.byte(old[1], 1) ~= 1 and string.byte(ARGV[3], 1) == 1 then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], seq, seq)
redis.call('ZADD', KEYS[2], seq, ARGV[3])
if #n == 2 then
  redis.call('ZREM', KEYS[2], n[1])
  redis.call('ZADD', KEYS[2], n[2], ARGV[7])
end
return 1
