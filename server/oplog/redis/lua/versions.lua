-- versionsScript lists versions newest first. Reads only.
-- KEYS meta versions; ARGV before (0: from the newest), limit.
-- Returns {} for a board never drawn on (opened or not), else {head,
-- records}.
local head = redis.call('HGET', KEYS[1], 'seq')
if not head or head == '0' then return {} end
local top = '+inf'
if ARGV[1] ~= '0' then top = '(' .. ARGV[1] end
return {tonumber(head), redis.call('ZREVRANGEBYSCORE', KEYS[2], top, '-inf', 'LIMIT', 0, ARGV[2])}
