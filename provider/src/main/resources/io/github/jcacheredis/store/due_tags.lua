-- Lists slots among those whose indexes of due times the sweeper visits (on a cluster, and for
-- the keyv layout), keeping the set that lists them alive for at least the grace: the sweeper
-- extends it to outlive the indexes at every sweep, and once nobody sweeps it goes by itself.
--
-- KEYS[1]  the set of slot tags
-- ARGV[1]  grace in milliseconds
-- ARGV[2+] the slot tags to list
--
-- Returns {how many tags were not listed yet}.

local added = redis.call('SADD', KEYS[1], unpack(ARGV, 2))
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {added}
