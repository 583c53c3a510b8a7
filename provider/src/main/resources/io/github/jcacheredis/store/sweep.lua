-- Reports the entries of one slot (of the cache, on one server) whose due time has passed,
-- without waiting for Redis to notice they expired: each is touched, which makes Redis expire it
-- now; one that is gone is reported with the value of its shadow copy, exactly once (whoever
-- takes the copy reports), and leaves the index. One whose TTL was extended is due again later.
--
-- KEYS[1]  the index of due times of the slot
-- ARGV[1]  the prefix of the cache's entry keys
-- ARGV[2]  the prefix of the slot's shadow keys (with its hash tag)
-- ARGV[3]  event channel
-- ARGV[4]  the most entries to handle in this call
--
-- Returns {entries handled, entries reported}: fewer handled than asked means none is due.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
local reported = 0
for _, member in ipairs(members) do
  local entry = ARGV[1] .. member
  local shadow = ARGV[2] .. member
  if redis.call('EXISTS', entry) == 1 then
    local ttl = redis.call('PTTL', entry)
    if ttl == -1 then
      -- it no longer expires
      redis.call('ZREM', KEYS[1], member)
      redis.call('DEL', shadow)
    else
      -- not expired yet (0: it expires this very millisecond): due again then
      redis.call('ZADD', KEYS[1], now + math.max(ttl, 1), member)
    end
  else
    redis.call('ZREM', KEYS[1], member)
    local value = redis.call('GETDEL', shadow)
    if value then
      local parts = {'x', '-', member, value, '', '1', '0'}
      local message = {}
      for i = 1, #parts do
        message[#message + 1] = #parts[i] .. ':' .. parts[i]
      end
      redis.call('PUBLISH', ARGV[3], table.concat(message))
      reported = reported + 1
    end
  end
end
return {#members, reported}
