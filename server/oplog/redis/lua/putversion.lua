-- putVersionScript stores a version record at seq, replacing the one
-- there unless that is a clear and this a checkpoint (the record's first
-- byte is its kind: 1 checkpoint, 2 clear).
-- KEYS meta versions; ARGV epoch, seq, record. Returns -1 on another
-- epoch, 0 when kept the clear, 1 when stored.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
local old = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[2], ARGV[2])
if #old > 0 and string.byte(old[1], 1) == 2 and string.byte(ARGV[3], 1) == 1 then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[2], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
