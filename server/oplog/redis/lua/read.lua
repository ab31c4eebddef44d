-- readScript returns what a room would load, without creating the room.
-- Atomic, so the snapshot and the ops after it come from one moment (a
-- compaction between two plain reads could trim ops the older snapshot
-- still needs). Only the ops after the snapshot are read: the ones kept
-- before it are for replay, which a picture does not need.
-- KEYS meta log snap. Returns {} for a board never stored, else
-- {epoch, seq, snap|false, entries}.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'snapseq')
if not m[1] then return {} end
local snap = redis.call('GET', KEYS[3])
local from = 1
if snap then from = (tonumber(m[3]) or 0) + 1 end
return {m[1], tonumber(m[2]), snap, redis.call('XRANGE', KEYS[2], from .. '-0', '+')}
