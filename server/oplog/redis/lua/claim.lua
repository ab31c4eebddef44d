-- claimScript marks a board in use (a join, or a replica that has it
-- open): its last use is now, and an archive of it under way is called
-- off (the archiver then finds its lease gone and leaves the keys). For a
-- board Redis does not hold it returns the generation its tombstone
-- names: the archive that removed its keys, if one did lately.
-- KEYS meta gone; ARGV now (ms).
-- Returns {1} when Redis holds the board, else {0, tombstone gen|false}.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'used', ARGV[1])
  redis.call('HDEL', KEYS[1], 'arch', 'archexp')
  return {1}
end
return {0, redis.call('GET', KEYS[2])}
