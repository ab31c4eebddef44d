-- spillScript reads the history compaction is about to trim, for the
-- archive: the ops from the first not yet kept there (meta pgseq) up to
-- seq to, and the checkpoints, versions and latest snapshot at or before
-- it. Reads only.
-- KEYS meta log snap checkpoints versions; ARGV epoch, to.
-- Returns {-1} on another epoch, else {pgseq, snapseq, snap|false,
-- checkpoints, versions (WITHSCORES), entries}.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'pgseq', 'snapseq')
if m[1] ~= ARGV[1] then return {-1} end
local from = tonumber(m[2] or '0') + 1
local to = tonumber(ARGV[2])
local snapseq = tonumber(m[3] or '0')
local snap = false
if snapseq > 0 and snapseq <= to then snap = redis.call('GET', KEYS[3]) end
local entries = {}
if from <= to then entries = redis.call('XRANGE', KEYS[2], from .. '-0', to .. '-1') end
return {from - 1, snapseq, snap, redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', to, 'WITHSCORES'),
  redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', to, 'WITHSCORES'), entries}
