-- Reads the namespace's registry of listening instances, with the server's time to judge their
-- leases by, and deletes the registrations whose lease ran out more than ARGV[1] ms ago (their
-- instances died, or will register again when they run).
--
-- KEYS[1]  the registry hash
-- ARGV[1]  how long past its deadline a registration is kept, in milliseconds
--
-- Returns {now, field, value, field, value, ...}; each value is <mask>|<deadline>.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local all = redis.call('HGETALL', KEYS[1])
local result = {now}
for i = 1, #all, 2 do
  local bar = string.find(all[i + 1], '|', 1, true)
  local deadline = bar and tonumber(string.sub(all[i + 1], bar + 1)) or 0
  if deadline < now - tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    result[#result + 1] = all[i]
    result[#result + 1] = all[i + 1]
  end
end
return result
