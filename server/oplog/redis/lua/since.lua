-- sinceScript reads the log from a sequence number: the live path, which
-- sees the ops after the snapshot and the keep ops before it (kept for
-- replay); what is older is history (readat.lua), and a room asking for
-- it is told it was trimmed (no entries) and reopens from the snapshot.
-- KEYS meta log; ARGV epoch, from, count, keep.
-- Returns {-1} on another epoch, else {seq, entries}.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'snapseq')
if m[1] ~= ARGV[1] then return {-1} end
local seq = tonumber(m[2])
local floor = (tonumber(m[3]) or 0) + 1 - tonumber(ARGV[4])
if tonumber(ARGV[2]) < floor then return {seq, {}} end
return {seq, redis.call('XRANGE', KEYS[2], ARGV[2] .. '-1', '+', 'COUNT', ARGV[3])}
