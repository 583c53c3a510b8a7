-- Gives an entry written before expiry was tracked its shadow copy, so that its expiry is reported.
--
-- KEYS[1]  the entry key
-- KEYS[2]  the entry's shadow key
-- ARGV[1]  grace in milliseconds for which the shadow copy outlives the entry
--
-- Returns {1} when a shadow copy was made.

if redis.call('EXISTS', KEYS[2]) == 1 then
  return {0}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  return {0}
end
redis.call('SET', KEYS[2], redis.call('GET', KEYS[1]), 'PX', ttl + tonumber(ARGV[1]))
return {1}
