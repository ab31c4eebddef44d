-- unindexScript drops a board from the archivers' index unless it was
-- used after before (a join put it back meanwhile).
-- KEYS index; ARGV room, before (ms).
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
