-- spilledScript records that the archive keeps the board's history up to
-- seq to, so compaction may trim it from Redis.
-- KEYS meta; ARGV epoch, to.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
if tonumber(redis.call('HGET', KEYS[1], 'pgseq') or '0') < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'pgseq', ARGV[2])
end
return 1
