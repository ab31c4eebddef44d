-- Stores an image's bytes for a room, once per hash, within the room's
-- byte budget (redis/images.go).
-- KEYS[1] sp:{R}:img (hash: image hash -> bytes, and "total")
-- ARGV[1] the image's hash, ARGV[2] its bytes, ARGV[3] the room's budget,
-- ARGV[4] the bytes of its images in the archive (counted when KEYS[1]
-- has no total yet: the board came back from PostgreSQL)
-- Returns 1 stored, 0 already there, -1 over the budget.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
local total = tonumber(redis.call('HGET', KEYS[1], 'total') or ARGV[4] or '0')
if total + #ARGV[2] > tonumber(ARGV[3]) then
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], 'total', total + #ARGV[2])
return 1
