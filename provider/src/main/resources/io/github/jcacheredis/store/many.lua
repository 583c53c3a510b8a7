-- Simple commands on several keys of one slot, sent as one command by a batch of concurrent calls.
--
-- KEYS     the entries, one per command
-- ARGV     three per key, in the order of KEYS: the command, a TTL, a value
--            GET, '', ''                  the value
--            GETEX, <ms or PERSIST>, ''   the value, after setting or clearing the TTL
--            SET, KEEPTTL, <value>        an update keeps the TTL, a new entry has none
--            SET, NONE, <value>           no TTL
--            SET, <ms>, <value>           a TTL of <ms> milliseconds
--
-- Returns one reply per key: the value or nil for GET and GETEX (a key holding another Redis
-- type reads as absent, as in MGET, and fails no other command), 1 for SET.

local replies = {}
for i, key in ipairs(KEYS) do
    local command, ttl, value = ARGV[3 * i - 2], ARGV[3 * i - 1], ARGV[3 * i]
    local reply
    if command == 'SET' then
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
    replies[i] = reply
end
return replies
