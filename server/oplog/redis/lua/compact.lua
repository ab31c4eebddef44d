-- compactScript stores a snapshot at seq and trims the log before keepFrom.
-- KEYS meta log snap; ARGV epoch, seq, snapshot, keepFrom.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
if tonumber(ARGV[2]) <= tonumber(redis.call('HGET', KEYS[1], 'snapseq') or '0') then return 0 end
redis.call('SET', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[1], 'snapseq', ARGV[2])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[4] .. '-0')
return 1
