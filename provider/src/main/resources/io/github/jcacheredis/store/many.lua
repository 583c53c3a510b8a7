-- Simple commands on several keys of one slot, sent as one command by a batch of concurrent calls.
--
-- KEYS     the entries, one per command
-- ARGV     groups of commands, in the order of KEYS; each group is a command, a TTL and how many
--          keys it takes, then for SET one value per key:
--            GET, '', <n>                     the value
--            GETEX, <ms or PERSIST>, <n>      the value, after setting or clearing the TTL
--            SET, KEEPTTL, <n>, <values>      an update keeps the TTL, a new entry has none
--            SET, NONE, <n>, <values>         no TTL
--            SET, <ms>, <n>, <values>         a TTL of <ms> milliseconds
--
-- Returns one reply per key: the value or nil for GET and GETEX (a key holding another Redis
-- type reads as absent, as in MGET, and fails no other command), 1 for SET.

local replies = {}
local arg, k = 1, 1
while arg <= #ARGV do
    local command, ttl, count = ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2])
    arg = arg + 3
    for _ = 1, count do
        local key = KEYS[k]
        local reply
        if command == 'SET' then
            local value = ARGV[arg]
            arg = arg + 1
            if ttl == 'KEEPTTL' then
                redis.call('SET', key, value, 'KEEPTTL')
            elseif ttl == 'NONE' then
                redis.call('SET', key, value)
            else
                redis.call('SET', key, value, 'PX', ttl)
            end
            reply = 1
        elseif command == 'GETEX' then
            if ttl == 'PERSIST' then
                reply = redis.pcall('GETEX', key, 'PERSIST')
            else
                reply = redis.pcall('GETEX', key, 'PX', ttl)
            end
        else
            reply = redis.pcall('GET', key)
        end
        if type(reply) == 'table' and reply.err then
            reply = false
        end
        replies[k] = reply
        k = k + 1
    end
end
return replies
