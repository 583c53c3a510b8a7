-- Reports the given entries of one slot (of the cache, on one server) that are still due, without
-- waiting for Redis to notice they expired: each is touched, which makes Redis expire it now; one
-- that is gone is reported with the value of its shadow copy, exactly once (whoever takes the copy
-- reports), and leaves the index. One whose TTL was extended is due again later.
--
-- Every key it touches is one of KEYS: while its slot moves to another master, a script reaches the
-- node that holds the index, and keys it did not name would be looked up there alone, where an
-- entry or copy not moved yet (or moved already) is missing. Named, the call is redirected or
-- refused (TRYAGAIN) until they are all on one node, and runs there.
--
-- KEYS[1]           the index of due times of the slot
-- KEYS[2i], [2i+1]  entry key and its shadow key, for i = 1 .. n
-- ARGV[1]           event channel
-- ARGV[2]           grace in milliseconds for which the index outlives its latest due time
-- ARGV[2+i]         encoded key of entry i, as a member of the index (listed by due.lua)
--
-- Returns {entries handled, entries reported}.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local grace = tonumber(ARGV[2])
local reported = 0
local later = 0
for i = 2, #KEYS, 2 do
  local member = ARGV[i / 2 + 2]
  local entry = KEYS[i]
  local shadow = KEYS[i + 1]
  local due = redis.call('ZSCORE', KEYS[1], member)
  -- written, removed or swept since it was listed: no longer due
  if due and tonumber(due) <= now then
    if redis.call('EXISTS', entry) == 1 then
      local ttl = redis.call('PTTL', entry)
      if ttl == -1 then
        -- it no longer expires
        redis.call('ZREM', KEYS[1], member)
        redis.call('DEL', shadow)
      else
        -- not expired yet (0: it expires this very millisecond): due again then
        redis.call('ZADD', KEYS[1], now + math.max(ttl, 1), member)
        later = math.max(later, ttl, 1)
      end
    else
      redis.call('ZREM', KEYS[1], member)
      local value = redis.call('GETDEL', shadow)
      if value then
        local parts = {'x', '-', member, value, '', '1', '0'}
        local message = {}
        for j = 1, #parts do
          message[#message + 1] = #parts[j] .. ':' .. parts[j]
        end
        redis.call('PUBLISH', ARGV[1], table.concat(message))
        reported = reported + 1
      end
    end
  end
end
if later > 0 then
  -- the index outlives its latest due time by the grace (see mutate.lua)
  local wanted = later + grace
  local left = redis.call('PTTL', KEYS[1])
  if left == -1 then
    local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
    wanted = math.max(wanted, tonumber(latest[2]) - now + grace)
  end
  if left < wanted then
    redis.call('PEXPIRE', KEYS[1], wanted)
  end
end
return {(#KEYS - 1) / 2, reported}
