-- Writes keys ARGV[1]..i for i from ARGV[2] to ARGV[3], each holding ARGV[4] with a TTL of an
-- hour: many volatile keys in one call.
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  redis.call('SET', ARGV[1] .. i, ARGV[4], 'PX', 3600000)
end
