-- leaseScript takes the right to archive a board nobody has used since
-- idleBefore: a new generation (archgen only grows), held until
-- leaseUntil. Replicas racing for one board get one lease between them.
-- KEYS meta; ARGV now, idleBefore, leaseUntil (ms).
-- Returns -1 when Redis does not hold the board, 0 when it is in use or
-- leased, else the generation.
local m = redis.call('HMGET', KEYS[1], 'epoch', 'used', 'arch', 'archexp')
if not m[1] then return -1 end
if m[3] and tonumber(m[4] or '0') > tonumber(ARGV[1]) then return 0 end
-- A board never marked used (created by open.lua, or before archiving
-- was configured) starts its idle time when an archiver first sees it.
if not m[2] then
  redis.call('HSET', KEYS[1], 'used', ARGV[1])
  return 0
end
if tonumber(m[2]) > tonumber(ARGV[2]) then return 0 end
local gen = redis.call('HINCRBY', KEYS[1], 'archgen', 1)
redis.call('HSET', KEYS[1], 'arch', gen, 'archexp', ARGV[3])
return gen
