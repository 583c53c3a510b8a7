-- Lists the entries of one slot (of the cache, on one server) whose due time has passed, for
-- sweep.lua to handle: that script must name every key it touches, which only a list read first
-- lets it do. Also sets the index's TTL to what it needs now, its latest due time (or now, if
-- that has passed) plus the grace, so that an index does not outlive by long the entries it was
-- kept for once they are gone (removed or cleared), while nobody sweeps it any more.
--
-- KEYS[1]  the index of due times of the slot
-- ARGV[1]  the most entries to list (0: none, only the TTL)
-- ARGV[2]  grace in milliseconds for which the index outlives its latest due time
--
-- Returns {the index's remaining TTL in milliseconds (-2: there is none), then the encoded keys
-- of the due entries, earliest first}.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if #latest == 0 then
  return {-2}
end
local ttl = math.max(tonumber(latest[2]) - now, 0) + tonumber(ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
local result = {ttl}
if tonumber(ARGV[1]) > 0 then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
  for i = 1, #due do
    result[#result + 1] = due[i]
  end
end
return result
