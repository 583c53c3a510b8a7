package io.github.jcacheredis.store;

import static io.github.jcacheredis.store.StoreContext.ascii;
import static io.github.jcacheredis.store.StoreContext.utf8;

import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.TtlResolver;
import java.util.List;

/** The provider's Lua scripts and the KEYS and ARGV each one takes (documented in the scripts). */
final class Scripts {

    static final LuaScript MUTATE = LuaScript.load("mutate.lua");
    static final LuaScript TOUCH = LuaScript.load("touch.lua");
    static final LuaScript ENROLL = LuaScript.load("enroll.lua");
    static final LuaScript DUE = LuaScript.load("due.lua");
    static final LuaScript DUE_TAGS = LuaScript.load("due_tags.lua");
    static final LuaScript SWEEP = LuaScript.load("sweep.lua");
    static final LuaScript READ = LuaScript.load("read.lua");
    static final LuaScript LEASE = LuaScript.load("lease.lua");
    static final LuaScript LEASE_KEEP = LuaScript.load("lease_keep.lua");
    static final LuaScript MANY = LuaScript.load("many.lua");

    private static final byte[] EMPTY = new byte[0];

    private Scripts() {
    }

    /**
     * The entry key; its shadow key and index of due times while expiry is tracked; its lease key
     * for a fenced write.
     */
    static List<Object> mutateKeys(KeyLayout layout, String encodedKey, Mutation m, Publication pub) {
        if (m.lease() instanceof RedisWriteLease lease && !lease.token().isEmpty()) {
            return List.of(layout.entryKey(encodedKey), layout.shadowKey(encodedKey), layout.dueKey(encodedKey),
                    layout.leaseKey(encodedKey));
        }
        return pub.tracksExpiry() ? tracked(layout, encodedKey) : List.of(layout.entryKey(encodedKey));
    }

    /** The entry key, its shadow key and its index of due times. */
    static List<Object> tracked(KeyLayout layout, String encodedKey) {
        return List.of(layout.entryKey(encodedKey), layout.shadowKey(encodedKey), layout.dueKey(encodedKey));
    }

    static Object[] mutateArguments(String encodedKey, Mutation m, Publication pub, long writeId) {
        return new Object[] {
            ascii(m.precondition().code()),
            m.expected() == null ? EMPTY : m.expected(),
            ascii(m.delete() ? "d" : "s"),
            m.value() == null ? EMPTY : m.value(),
            ascii(m.absentTtl()),
            ascii(m.presentTtl()),
            ascii(m.returnPrevious() ? "1" : "0"),
            utf8(pub.channel()),
            utf8(pub.originOf(writeId)),
            utf8(pub.isActive() ? encodedKey : ""),
            ascii(pub.withValues() ? "1" : "0"),
            ascii(pub.shadowGraceMillis()),
            m.lease() == null ? EMPTY : utf8(lease(m).token()),  // '' for a degraded cache's stand-in
            ascii(m.lease() == null || lease(m).nested() ? "0" : "1"),
        };
    }

    /** The lease a mutation is fenced by, as this store issued it. */
    static RedisWriteLease lease(Mutation m) {
        return (RedisWriteLease) m.lease();
    }

    /** The outcomes of {@code mutate.lua}'s statuses 0 to 7. */
    private static final Outcome[] OUTCOMES = {Outcome.CONFLICT, Outcome.CREATED, Outcome.UPDATED, Outcome.DELETED,
        Outcome.NOT_STORED, Outcome.EXPIRED_ON_UPDATE, Outcome.ABSENT, Outcome.FENCED};

    /**
     * What {@code mutate.lua} answered: a result, or (status -1 or -2, no result) a request for
     * the creation or the update TTL, which it needs before it writes.
     */
    record MutateReply(long ttlAsked, MutationResult result) {

        /** A result decided without Redis (a degraded cache's answer). */
        static MutateReply of(MutationResult result) {
            return new MutateReply(0, result);
        }

        static MutateReply of(List<Object> reply, long writeId) {
            long status = (Long) reply.get(0);
            if (status < 0) {
                return new MutateReply(status, null);
            }
            Outcome outcome = OUTCOMES[(int) status];
            Object previous = reply.size() > 1 ? reply.get(1) : null;
            return new MutateReply(0, new MutationResult(outcome, previous instanceof byte[] bytes ? bytes : null,
                    outcome.publishes() ? writeId : 0));
        }

        boolean needsTtl() {
            return ttlAsked != 0;
        }

        /** The mutation again, with the TTL the script asked for. */
        Mutation completed(Mutation m, TtlResolver ttls) {
            return ttlAsked == -1 ? m.withTtls(ttls.creation(), m.presentTtl()) : m.withTtls(m.absentTtl(), ttls.update());
        }

        /** The write id under which the write published events for this instance, 0 for none. */
        long writeId() {
            return result == null ? 0 : result.writeId();
        }
    }

    static Object[] touchArguments(String encodedKey, long ttl, Publication pub, boolean returnValue) {
        return new Object[] {ascii(ttl), ascii(pub.shadowGraceMillis()), utf8(pub.channel()), utf8(encodedKey),
            ascii(returnValue ? "1" : "0")};
    }

    /** The value a touch reply carries, or null. */
    static byte[] touchedValue(List<Object> reply) {
        Object value = reply.isEmpty() ? null : reply.get(0);
        return value instanceof byte[] bytes ? bytes : null;
    }

    /** True when a script answered {1}. */
    static boolean succeeded(List<Object> reply) {
        return !reply.isEmpty() && Long.valueOf(1).equals(reply.get(0));
    }
}
