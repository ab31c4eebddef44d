-- headScript reports the room's head. KEYS meta; ARGV epoch. Returns -1 on
-- another epoch, else {seq, authors}.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return {-1} end
return {tonumber(redis.call('HGET', KEYS[1], 'seq')), tonumber(redis.call('HGET', KEYS[1], 'authors'))}
