-- openScript returns the room's history, creating the room under the
-- given new epoch when it has none (new, or lost). Atomic, so replicas
-- opening a lost room at the same moment agree on its new epoch. Of the
-- ops the log keeps, only the keep ops before the snapshot (for replay)
-- and those after it are read: the rest is history, read by readat.lua.
-- KEYS meta log applied snap checkpoints versions; ARGV newEpoch, keep.
-- Returns {epoch, seq, authors, snapseq, snap|false, entries}.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'authors', 'snapseq')
if not m[1] then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'seq', 0, 'authors', 0, 'snapseq', 0)
  return {ARGV[1], 0, 0, 0, false, {}}
end
local snap = redis.call('GET', KEYS[4])
local from = math.max(1, (tonumber(m[4]) or 0) + 1 - tonumber(ARGV[2]))
return {m[1], tonumber(m[2]), tonumber(m[3]), tonumber(m[4]), snap, redis.call('XRANGE', KEYS[2], from .. '-0', '+')}
