-- Writes keys ARGV[1]..i for i from ARGV[2] to ARGV[3], each holding ARGV[4] with a TTL of
-- ARGV[5] milliseconds: many keys in one call, for loading a measurement.
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  redis.call('SET', ARGV[1] .. i, ARGV[4], 'PX', ARGV[5])
end
return 0
