-- submitScript sequences a batch. KEYS meta log; ARGV epoch, channel,
-- publish command (PUBLISH, or SPUBLISH in a Redis Cluster, or '' to
-- return the message instead, to be published once replicas have the
-- batch: pipe_wait.go), seen (the highest seq the submitting replica saw,
-- 0: none), then per op: author, index, entry. Returns {-1} when the
-- epoch differs, {-2} when the log is behind seen (it lost ops: lost.go),
-- else {firstSeq, r1, r2, ...} with ri the op's sequence number, 0 for a
-- duplicate (index below the author's applied count) or -1 for a gap
-- (index above), and with publish '' the message last (false when nothing
-- was numbered).
--
-- Each call a script makes is a good part of what it costs Redis, and a
-- batch is mostly one op: so the epoch, the head and every author's
-- applied count (field a<author> of meta) are read in one HMGET, and the
-- new head and counts written in one HSET.

-- uvarint encodes n as the canvas codec does (canvas/PROTOCOL.md).
local function uvarint(n)
  if n < 128 then return string.char(n) end
  local out = {}
  while n >= 128 do
    out[#out+1] = string.char(n % 128 + 128)
    n = math.floor(n / 128)
  end
  out[#out+1] = string.char(n)
  return table.concat(out)
end

-- call runs cmd on key with args, in calls of at most 512 arguments
-- (unpack puts them on Lua's stack), and returns the replies joined.
local function call(cmd, key, args)
  if #args <= 512 then return redis.call(cmd, key, unpack(args)) end
  local out = {}
  for i = 1, #args, 512 do
    local part = redis.call(cmd, key, unpack(args, i, math.min(i + 511, #args)))
    if type(part) == 'table' then
      for k = 1, #part do out[#out+1] = part[k] end
    end
  end
  return out
end

local fields, field = {'epoch', 'seq'}, {} -- field: author -> its index in fields
for i = 5, #ARGV, 3 do
  local a = ARGV[i]
  if field[a] == nil then
    fields[#fields+1] = 'a' .. a
    field[a] = #fields
  end
end
local meta = call('HMGET', KEYS[1], fields)
if meta[1] ~= ARGV[1] then return {-1} end
local seq = tonumber(meta[2])
if seq < tonumber(ARGV[4]) then return {-2} end
local first = seq + 1
local res = {first}
local parts = {}
local applied, changed = {}, {} -- author -> count now; the authors numbered, once each
for a, k in pairs(field) do applied[a] = tonumber(meta[k]) or 0 end
for i = 5, #ARGV, 3 do
  local a, idx = ARGV[i], tonumber(ARGV[i+1])
  local n = applied[a]
  if idx == n then
    seq = seq + 1
    if not changed[a] then changed[a], changed[#changed+1] = true, a end
    applied[a] = n + 1
    redis.call('XADD', KEYS[2], string.format('%d-1', seq), 'e', ARGV[i+2])
    parts[#parts+1] = ARGV[i+2]
    res[#res+1] = seq
  elseif idx < n then
    res[#res+1] = 0
  else
    res[#res+1] = -1
  end
end
if #parts > 0 then
  local set = {'seq', seq}
  for _, a in ipairs(changed) do
    set[#set+1] = 'a' .. a
    set[#set+1] = applied[a]
  end
  call('HSET', KEYS[1], set)
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
