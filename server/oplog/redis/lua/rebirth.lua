-- rebirthScript gives a board a new epoch: Redis lost acknowledged ops of
-- it (a failover to a replica that had not got them, or a restart from an
-- append-only file behind its writes), and a replica noticed (lost.go).
-- What survived stays, under the new epoch; author ids skip ahead so that
-- none handed out in the lost part is handed out again. Only from the
-- epoch the replica saw: replicas noticing at once agree on one new epoch.
-- KEYS meta; ARGV epoch, newEpoch, authorGap.
-- Returns 1 when the epoch changed, 0 when it had already moved on.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'epoch', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'authors', ARGV[3])
return 1
