-- Renews or releases a write lease, only if its holder still has it (see lease.lua).
--
-- KEYS[1]  the entry's lease key
-- ARGV[1]  the holder's token
-- ARGV[2]  new lease time in milliseconds, or 0 to release it
--
-- Returns {1} when the holder still had the lease, {0} when it had lost it.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {0}
end
if ARGV[2] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return {1}
