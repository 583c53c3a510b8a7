-- Deletes keys ARGV[1]..i for i from ARGV[2] to ARGV[3]: what set_many.lua wrote.
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  redis.call('UNLINK', ARGV[1] .. i)
end
return 0
