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
-- type reads as absent, as in MGET), 1 for SET. A command that Redis refuses (a SET out of
-- memory, a GETEX or SET on a replica that became read-only) replies a list of its error
-- instead, which fails only its own caller, where redis.call would end the script and fail
-- every command of the batch.

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
                reply = redis.pcall('SET', key, value, 'KEEPTTL')
            elseif ttl == 'NONE' then
                reply = redis.pcall('SET', key, value)
            else
                reply = redis.pcall('SET', key, value, 'PX', ttl)
            end
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
            if command ~= 'SET' and string.sub(reply.err, 1, 9) == 'WRONGTYPE' then
                reply = false
            else
                reply = { reply.err }
            end
        elseif command == 'SET' then
            reply = 1
        end
        replies[k] = reply
        k = k + 1
    end
end
return replies
