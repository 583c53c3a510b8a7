-- Lists the entries of one slot (of the cache, on one server) whose due time has passed, for
-- sweep.lua to handle: that script must name every key it touches, which only a list read first
-- lets it do. Only reads.
--
-- KEYS[1]  the index of due times of the slot
-- ARGV[1]  the most entries to list
--
-- Returns the encoded keys of the due entries, earliest first.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
