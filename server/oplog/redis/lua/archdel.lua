-- archDelScript removes an archived board's keys, after PostgreSQL
-- committed it: only while the lease of generation gen still holds and
-- the board's fingerprint is the one archived (archread.lua computes it
-- the same way). A tombstone naming gen stays for tombTTL, so a replica
-- loading the board back knows the archive finished here even if the
-- archiver died before saying so in PostgreSQL.
-- KEYS meta log applied snap checkpoints versions gone [img]; ARGV gen,
-- fingerprint, tombTTL (ms).
-- Returns 1 when removed, 0 when the lease is gone or the board changed
-- (the lease is then released).
local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'authors', 'snapseq', 'arch')
if m[5] ~= ARGV[1] then return 0 end
local versions = redis.call('ZRANGE', KEYS[6], 0, -1, 'WITHSCORES')
local fp = redis.sha1hex(table.concat({m[1], m[2], m[3], m[4] or '0', redis.call('ZCARD', KEYS[5]), table.concat(versions, '|')}, '|'))
if fp ~= ARGV[2] then
  redis.call('HDEL', KEYS[1], 'arch', 'archexp')
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
if KEYS[8] then
  -- The board's images (redis/images.go), copied to PostgreSQL before.
  redis.call('DEL', KEYS[8])
end
redis.call('SET', KEYS[7], ARGV[1], 'PX', ARGV[3])
return 1
