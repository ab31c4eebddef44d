-- authorScript reserves the next ARGV[2] author ids and returns the last.
-- KEYS meta; ARGV epoch, n.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
return redis.call('HINCRBY', KEYS[1], 'authors', ARGV[2])
