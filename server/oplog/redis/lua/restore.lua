-- restoreScript loads an archived board back into Redis, unless Redis
-- holds it already (another replica was first): its head, its latest
-- snapshot, the applied counts, its latest versions and the ops a room
-- opening it reads. The generation counter goes on from the archive's,
-- and the archive keeps all of its history so far (pgseq).
-- KEYS meta log applied snap checkpoints versions gone; ARGV epoch, seq,
-- authors, snapseq, snapshot, hasSnapshot (0/1), now, gen, napplied,
-- napplied × (author, count), nversions, nversions × (seq, record), then
-- (seq, entry) pairs to the end.
-- Returns 1 when loaded, 0 when Redis held the board.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'seq', ARGV[2], 'authors', ARGV[3], 'snapseq', ARGV[4],
  'used', ARGV[7], 'archgen', ARGV[8], 'pgseq', ARGV[2])
if ARGV[6] == '1' then redis.call('SET', KEYS[4], ARGV[5]) end
local i = 9
local n = tonumber(ARGV[i])
for k = 1, n do redis.call('HSET', KEYS[3], ARGV[i + 2*k - 1], ARGV[i + 2*k]) end
i = i + 2*n + 1
n = tonumber(ARGV[i])
for k = 1, n do redis.call('ZADD', KEYS[6], ARGV[i + 2*k - 1], ARGV[i + 2*k]) end
i = i + 2*n + 1
while i < #ARGV do
  redis.call('XADD', KEYS[2], ARGV[i] .. '-1', 'e', ARGV[i + 1])
  i = i + 2
end
return 1
