-- Reads an entry and applies an access TTL to it, and to its shadow copy and due time while
-- expiry is tracked. A zero TTL expires the entry at once and reports it.
--
-- KEYS[1]  the entry key
-- KEYS[2]  the entry's shadow key
-- KEYS[3]  the index of due times of the entry's slot
-- ARGV[1]  TTL: -2 keep, -1 eternal, 0 expire now, > 0 milliseconds
-- ARGV[2]  grace in milliseconds for which the shadow copy outlives the entry, and the index its
--          latest due time
-- ARGV[3]  event channel
-- ARGV[4]  encoded key, as carried in the event and in the index
-- ARGV[5]  '1' to return the value
--
-- Returns {value or false}.

local ttl = tonumber(ARGV[1])
local value = redis.call('GET', KEYS[1])
if not value then
  return {false}
end
if ttl == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[4])
  local parts = {'x', '-', ARGV[4], value, '', '1', '0'}
  local message = {}
  for i = 1, #parts do
    message[#message + 1] = #parts[i] .. ':' .. parts[i]
  end
  redis.call('PUBLISH', ARGV[3], table.concat(message))
elseif ttl == -1 then
  redis.call('PERSIST', KEYS[1])
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[4])
elseif ttl > 0 then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local grace = tonumber(ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('SET', KEYS[2], value, 'PX', ttl + grace)
  redis.call('ZADD', KEYS[3], now + ttl, ARGV[4])
  -- the index outlives its latest due time by the grace (see mutate.lua)
  local wanted = ttl + grace
  local left = redis.call('PTTL', KEYS[3])
  if left == -1 then
    local latest = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
    wanted = math.max(wanted, tonumber(latest[2]) - now + grace)
  end
  if left < wanted then
    redis.call('PEXPIRE', KEYS[3], wanted)
  end
end
if ARGV[5] == '1' then
  return {value}
end
return {false}
