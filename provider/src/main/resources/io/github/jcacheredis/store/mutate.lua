-- One conditional write of one entry, atomically, with the events it causes.
--
-- KEYS[1]  the entry key
-- KEYS[2]  the entry's shadow key (while expiry is tracked, or with a lease)
-- KEYS[3]  the index of due times of the entry's slot (while expiry is tracked, or with a lease);
--          a due time added keeps it alive until that time plus the grace (ARGV[12])
-- KEYS[4]  the entry's write lease key (only with ARGV[13])
-- ARGV[1]  precondition: 'a' any, 'n' entry absent, 'p' entry present, 'e' value equals ARGV[2]
-- ARGV[2]  expected value (precondition 'e')
-- ARGV[3]  action: 's' set ARGV[4], 'd' delete
-- ARGV[4]  new value (action 's')
-- ARGV[5]  TTL if the entry is absent (creation), ARGV[6] TTL if present (update):
--          -3 unknown (ask the caller), -2 keep, -1 eternal, 0 expire now, > 0 milliseconds
-- ARGV[7]  '1' to return the previous value
-- ARGV[8]  event channel, '' to publish nothing
-- ARGV[9]  origin id of the writing instance
-- ARGV[10] encoded key, as carried in the event and as a member of the index of due times
-- ARGV[11] '1' to carry values in the event
-- ARGV[12] grace in milliseconds for which the shadow copy outlives the entry; '0' when expiry is
--          not tracked (no expiry listener anywhere)
-- ARGV[13] the token of the write lease the writer holds (see lease.lua), '' for none: the write
--          is refused (status 7) unless the lease is still the writer's
-- ARGV[14] '1' to release that lease with the write
--
-- Returns {status, previous value or false}. Status: 0 precondition failed (with the current
-- value when it was read), 1 created, 2 updated, 3 deleted, 4 not stored (creation TTL 0),
-- 5 removed because the update TTL was 0, 6 nothing to delete, 7 refused because the writer no
-- longer holds the lease, -1 creation TTL needed, -2 update TTL needed.

local key = KEYS[1]
local shadow = KEYS[2]
local due = KEYS[3]
local precondition = ARGV[1]
local action = ARGV[3]
local channel = ARGV[8]
local grace = tonumber(ARGV[12])

local function publish(kind, old, new, origin)
  if channel == '' then
    return
  end
  local parts = {kind, origin, ARGV[10]}
  if ARGV[11] == '1' then
    parts[4] = old or ''
    parts[5] = new or ''
    parts[6] = old and '1' or '0'
    parts[7] = new and '1' or '0'
  end
  local message = {}
  for i = 1, #parts do
    message[#message + 1] = #parts[i] .. ':' .. parts[i]
  end
  redis.call('PUBLISH', channel, table.concat(message))
end

local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- the entry no longer expires: it leaves the index and loses its shadow copy
local function forget_expiry()
  if grace > 0 then
    redis.call('DEL', shadow)
    redis.call('ZREM', due, ARGV[10])
  end
end

-- the index outlives its latest due time by the grace, as the copies do, so that an index nobody
-- sweeps any more goes by itself; one without a TTL (new, or older than this rule) covers all it holds
local function index_outlives(now, ttl)
  local wanted = ttl + grace
  local left = redis.call('PTTL', due)
  if left == -1 then
    local latest = redis.call('ZRANGE', due, -1, -1, 'WITHSCORES')
    wanted = math.max(wanted, tonumber(latest[2]) - now + grace)
  end
  if left < wanted then
    redis.call('PEXPIRE', due, wanted)
  end
end

-- keeps the shadow copy and the index in step with the entry: same value, TTL plus the grace,
-- due when the entry expires
local function shadow_follows(value)
  if grace == 0 then
    return
  end
  local ttl = redis.call('PTTL', key)
  if ttl > 0 then
    local now = now_ms()
    redis.call('SET', shadow, value, 'PX', ttl + grace)
    redis.call('ZADD', due, now + ttl, ARGV[10])
    index_outlives(now, ttl)
  else
    forget_expiry()
  end
end

if ARGV[13] ~= '' and redis.call('GET', KEYS[4]) ~= ARGV[13] then
  return {7, false}
end

local function write()
  if grace > 0 and redis.call('EXISTS', key) == 0 then
    -- the entry is gone but its copy is still here: if it was due, it expired and nobody has
    -- reported it yet, so report it now, once; if not (it was evicted), it just leaves
    local score = redis.call('ZSCORE', due, ARGV[10])
    local expired = redis.call('GETDEL', shadow)
    redis.call('ZREM', due, ARGV[10])
    if expired and score and tonumber(score) <= now_ms() then
      publish('x', expired, false, '-')
    end
  end

  local current
  if precondition == 'e' or ARGV[7] == '1' or ARGV[11] == '1' then
    current = redis.call('GET', key)
  else
    current = redis.call('EXISTS', key) == 1
  end

  if (precondition == 'n' and current) or (precondition == 'p' and not current)
      or (precondition == 'e' and current ~= ARGV[2]) then
    return {0, current}
  end

  local previous = false
  if ARGV[7] == '1' or ARGV[11] == '1' then
    previous = current
  end

  if action == 'd' then
    if not current then
      return {6, false}
    end
    redis.call('DEL', key)
    forget_expiry()
    publish('r', previous, false, ARGV[9])
    return {3, previous}
  end

  local ttl
  if current then
    ttl = tonumber(ARGV[6])
  else
    ttl = tonumber(ARGV[5])
  end

  if ttl == -3 then
    if current then
      return {-2, false}
    end
    return {-1, false}
  end

  if ttl == 0 then
    if current then
      redis.call('DEL', key)
      forget_expiry()
      publish('u', previous, ARGV[4], ARGV[9])
      publish('x', ARGV[4], false, ARGV[9])
      return {5, previous}
    end
    return {4, false}
  end

  if ttl == -2 and current then
    redis.call('SET', key, ARGV[4], 'KEEPTTL')
  elseif ttl > 0 then
    redis.call('SET', key, ARGV[4], 'PX', ttl)
  else
    redis.call('SET', key, ARGV[4])
  end
  shadow_follows(ARGV[4])

  if current then
    publish('u', previous, ARGV[4], ARGV[9])
    return {2, previous}
  end
  publish('c', false, ARGV[4], ARGV[9])
  return {1, false}
end

local result = write()
if ARGV[14] == '1' and result[1] >= 0 then
  -- done with the entry (a request for a TTL keeps the lease for the write that follows)
  redis.call('DEL', KEYS[4])
end
return result
