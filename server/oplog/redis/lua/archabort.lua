-- archAbortScript calls off the archive of generation gen (PostgreSQL
-- refused it or failed) and raises the board's generation counter to at
-- least minGen, so the next lease outnumbers what PostgreSQL holds.
-- KEYS meta; ARGV gen, minGen.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'arch') == ARGV[1] then redis.call('HDEL', KEYS[1], 'arch', 'archexp') end
if tonumber(redis.call('HGET', KEYS[1], 'archgen') or '0') < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'archgen', ARGV[2])
end
return 1
