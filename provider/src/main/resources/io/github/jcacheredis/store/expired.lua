-- Reports an entry that Redis expired, exactly once across all instances: whoever takes the
-- shadow copy publishes the EXPIRED event with the value it held.
--
-- KEYS[1]  the entry key
-- KEYS[2]  the entry's shadow key
-- ARGV[1]  event channel
-- ARGV[2]  encoded key, as carried in the event
--
-- Returns {1} when this call reported the expiry, {0} otherwise.

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0}
end
local value = redis.call('GETDEL', KEYS[2])
if not value then
  return {0}
end
local parts = {'x', '-', ARGV[2], value, '', '1', '0'}
local message = {}
for i = 1, #parts do
  message[#message + 1] = #parts[i] .. ':' .. parts[i]
end
redis.call('PUBLISH', ARGV[1], table.concat(message))
return {1}
