-- submitScript sequences a batch. KEYS meta log applied; ARGV epoch,
-- channel, publish command (PUBLISH, or SPUBLISH in a Redis Cluster, or
-- '' to return the message instead, to be published once replicas have
-- the batch: pipe_wait.go), seen (the highest seq the submitting replica saw, 0: none), then per
-- op: author, index, entry. Returns {-1} when the epoch differs, {-2}
-- when the log is behind seen (it lost ops: lost.go), else {firstSeq, r1,
-- r2, ...} with ri the op's sequence number, 0 for a duplicate (index
-- below applied) or -1 for a gap (index above), and with publish '' the
-- message last (false when nothing was numbered).

-- uvarint encodes n as the canvas codec does (canvas/PROTOCOL.md).
local function uvarint(n)
  local out = {}
  while n >= 128 do
    out[#out+1] = string.char(n % 128 + 128)
    n = math.floor(n / 128)
  end
  out[#out+1] = string.char(n)
  return table.concat(out)
end
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return {-1} end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if seq < tonumber(ARGV[4]) then return {-2} end
local first = seq + 1
local res = {first}
local parts = {}
for i = 5, #ARGV, 3 do
  local a, idx, e = ARGV[i], tonumber(ARGV[i+1]), ARGV[i+2]
  local applied = tonumber(redis.call('HGET', KEYS[3], a) or '0')
  if idx == applied then
    seq = seq + 1
    redis.call('HSET', KEYS[3], a, applied + 1)
    redis.call('XADD', KEYS[2], string.format('%d-1', seq), 'e', e)
    parts[#parts+1] = e
    res[#res+1] = seq
  elseif idx < applied then
    res[#res+1] = 0
  else
    res[#res+1] = -1
  end
end
if #parts > 0 then
  redis.call('HSET', KEYS[1], 'seq', seq)
  local body = uvarint(first) .. uvarint(#parts) .. table.concat(parts)
  local msg = ARGV[1] .. string.char(0x81) .. uvarint(#body) .. body
  if ARGV[3] == '' then
    res[#res+1] = msg
    return res
  end
  redis.call(ARGV[3], ARGV[2], msg)
end
if ARGV[3] == '' then res[#res+1] = false end
return res
