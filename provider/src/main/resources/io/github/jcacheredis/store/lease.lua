-- Takes the write lease of one entry, for caches with a CacheWriter: while an instance holds it,
-- no other instance changes the entry, so the writer and the cache see the same changes in the
-- same order. Answers the entry's value with the lease, so the holder decides on what it read.
--
-- KEYS[1]  the entry key
-- KEYS[2]  the entry's lease key (in the entry's cluster slot)
-- ARGV[1]  the holder's token, unique per acquisition
-- ARGV[2]  lease time in milliseconds; the holder renews it while it works
--
-- Returns {1, value or false} when taken, {0, remaining lease time in milliseconds} when another
-- holder has it.

if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[1])}
end
return {0, redis.call('PTTL', KEYS[2])}
