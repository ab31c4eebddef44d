-- readAtScript reads what builds the board after op seq: the newest
-- checkpoint at or before it (the latest snapshot, or an older one) and
-- the ops after that up to seq. Reads only; atomic, so a compaction
-- cannot trim in between.
-- KEYS meta log snap checkpoints; ARGV seq.
-- Returns {} for a board never drawn on (opened or not), {epoch, head}
-- when seq is past the head, else {epoch, head, checkpoint seq,
-- snapshot|false, entries}.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'snapseq')
if not m[1] or tonumber(m[2]) == 0 then return {} end
local head, seq = tonumber(m[2]), tonumber(ARGV[1])
if seq > head then return {m[1], head} end
local snapseq = tonumber(m[3]) or 0
local snap, at = false, 0
if snapseq > 0 and seq >= snapseq then
  snap = redis.call('GET', KEYS[3])
  if snap then at = snapseq end
else
  local c = redis.call('ZREVRANGEBYSCORE', KEYS[4], seq, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #c == 2 then snap, at = c[1], tonumber(c[2]) end
end
local entries = {}
if seq > at then entries = redis.call('XRANGE', KEYS[2], (at + 1) .. '-0', seq .. '-1') end
return {m[1], head, at, snap, entries}
