-- Reads the namespace's registry of listening instances, with the server's time to judge their
-- leases by.
--
-- KEYS[1]  the registry hash
--
-- Returns {now, field, value, field, value, ...}; each value is <mask>|<deadline>.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local result = {now}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all do
  result[#result + 1] = all[i]
end
return result
