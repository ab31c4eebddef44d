-- archReadScript reads all of a board for its archive, under the lease
-- of generation gen, with the board's fingerprint (what any change to it
-- changes: its head, its author ids, its snapshot's seq, its versions), so
-- the keys are removed later only if nothing changed in between.
-- KEYS meta log applied snap checkpoints versions; ARGV gen.
-- Returns {} when the lease is gone, else {epoch, seq, authors, snapseq,
-- snap|false, applied (HGETALL), checkpoints and versions (WITHSCORES),
-- entries, fingerprint}.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'authors', 'snapseq', 'arch')
if m[5] ~= ARGV[1] then return {} end
local versions = redis.call('ZRANGE', KEYS[6], 0, -1, 'WITHSCORES')
local fp = redis.sha1hex(table.concat({m[1], m[2], m[3], m[4] or '0', redis.call('ZCARD', KEYS[5]), table.concat(versions, '|')}, '|'))
return {m[1], tonumber(m[2]), tonumber(m[3]), tonumber(m[4] or '0'), redis.call('GET', KEYS[4]),
  redis.call('HGETALL', KEYS[3]), redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES'), versions,
  redis.call('XRANGE', KEYS[2], '-', '+'), fp}
