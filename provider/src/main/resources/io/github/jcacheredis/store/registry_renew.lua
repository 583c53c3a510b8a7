-- Registers, or renews, one instance's listeners (or near cache) on one cache in the namespace's
-- registry, with a lease measured on the server's clock, so that every instance judges leases by
-- the same clock.
--
-- KEYS[1]  the registry hash
-- ARGV[1]  the field: <cache prefix>|<instance id>
-- ARGV[2]  the event-type mask
-- ARGV[3]  the lease in milliseconds
--
-- Returns {now, previous deadline}: the server's time in milliseconds, and the deadline the field
-- held before (-1 when it held none). A previous deadline before now means that the lease had run
-- out, and other instances may have stopped publishing to this one.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local previous = redis.call('HGET', KEYS[1], ARGV[1])
local previous_deadline = -1
if previous then
  local bar = string.find(previous, '|', 1, true)
  if bar then
    previous_deadline = tonumber(string.sub(previous, bar + 1)) or -1
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. (now + tonumber(ARGV[3])))
return {now, previous_deadline}
