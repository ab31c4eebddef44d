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
-- The epoch and the head in one call: a batch is mostly one op, and each
-- call a script makes is a good part of what it costs Redis.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
if meta[1] ~= ARGV[1] then return {-1} end
local seq = tonumber(meta[2])
if seq < tonumber(ARGV[4]) then return {-2} end
local first = seq + 1
local res = {first}
local parts = {}
-- Each author's applied count is read once and written once per batch,
-- however many of its ops the batch holds.
local applied, applied0, authors = {}, {}, {} -- author -> count now, and as read; the authors numbered
for i = 5, #ARGV, 3 do
  local a, idx, e = ARGV[i], tonumber(ARGV[i+1]), ARGV[i+2]
  if applied[a] == nil then
    applied[a] = tonumber(redis.call('HGET', KEYS[3], a) or '0')
    applied0[a] = applied[a]
  end
  if idx == applied[a] then
    seq = seq + 1
    if idx == applied0[a] then authors[#authors+1] = a end -- once each
    applied[a] = idx + 1
    redis.call('XADD', KEYS[2], string.format('%d-1', seq), 'e', e)
    parts[#parts+1] = e
    res[#res+1] = seq
  elseif idx < applied[a] then
    res[#res+1] = 0
  else
    res[#res+1] = -1
  end
end
if #parts > 0 then
  -- In calls of at most 256 authors: unpack's results go on Lua's stack.
  local counts = {}
  for k, a in ipairs(authors) do
    counts[#counts+1] = a
    counts[#counts+1] = applied[a]
    if k % 256 == 0 or k == #authors then
      redis.call('HSET', KEYS[3], unpack(counts))
      counts = {}
    end
  end
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
