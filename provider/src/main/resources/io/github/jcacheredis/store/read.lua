-- Reads an entry for the near cache: its value and its remaining TTL, applying an access TTL first.
--
-- KEYS[1]  the entry key
-- ARGV[1]  access TTL: -2 keep, -1 eternal, 0 expire now, > 0 milliseconds
--
-- Returns {value or false, remaining TTL in milliseconds (-1: none, -2: no entry, 0: gone now)}.

local ttl = tonumber(ARGV[1])
local value = redis.call('GET', KEYS[1])
if not value then
  return {false, -2}
end
if ttl == 0 then
  redis.call('DEL', KEYS[1])
  return {value, 0}
elseif ttl == -1 then
  redis.call('PERSIST', KEYS[1])
elseif ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {value, redis.call('PTTL', KEYS[1])}
