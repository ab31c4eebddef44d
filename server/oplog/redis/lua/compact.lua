-- compactScript stores a snapshot at seq as the room's latest, keeps the
-- one it replaces as a checkpoint of the history, and trims the history
-- (ops, checkpoints, versions) before keepFrom.
-- KEYS meta log snap checkpoints versions; ARGV epoch, seq, snapshot, keepFrom.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
local snapseq = tonumber(redis.call('HGET', KEYS[1], 'snapseq') or '0')
if tonumber(ARGV[2]) <= snapseq then return 0 end
local old = redis.call('GET', KEYS[3])
if old then redis.call('ZADD', KEYS[4], snapseq, old) end
redis.call('SET', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[1], 'snapseq', ARGV[2])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[4] .. '-0')
-- A checkpoint before keepFrom-1 has no ops after it left to replay, and
-- a version there no board to show.
local floor = '(' .. (tonumber(ARGV[4]) - 1)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', floor)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', floor)
return 1
