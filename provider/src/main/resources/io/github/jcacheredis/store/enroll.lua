-- Gives entries written while no instance tracked expiry their shadow copies and due times, so
-- that their expiry is reported: a batch of entries of one slot (of the cache, on one server).
--
-- KEYS[1]           the index of due times of the slot
-- KEYS[2i], [2i+1]  entry key and its shadow key, for i = 1 .. n
-- ARGV[1]           grace in milliseconds for which a shadow copy outlives its entry, and the
--                   index its latest due time
-- ARGV[1+i]         encoded key of entry i, as a member of the index
--
-- Returns {how many entries with a TTL were enrolled}.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local grace = tonumber(ARGV[1])
local enrolled = 0
local longest = 0
for i = 2, #KEYS, 2 do
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl > 0 then
    redis.call('SET', KEYS[i + 1], redis.call('GET', KEYS[i]), 'PX', ttl + grace)
    redis.call('ZADD', KEYS[1], now + ttl, ARGV[i / 2 + 1])
    enrolled = enrolled + 1
    longest = math.max(longest, ttl)
  end
end
if enrolled > 0 then
  -- the index outlives its latest due time by the grace (see mutate.lua)
  local wanted = longest + grace
  local left = redis.call('PTTL', KEYS[1])
  if left == -1 then
    local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
    wanted = math.max(wanted, tonumber(latest[2]) - now + grace)
  end
  if left < wanted then
    redis.call('PEXPIRE', KEYS[1], wanted)
  end
end
return {enrolled}
