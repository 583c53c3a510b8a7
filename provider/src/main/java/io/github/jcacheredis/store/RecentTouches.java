package io.github.jcacheredis.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When this instance last set an entry's access TTL, so that a read soon after need not set it
 * again. An access-expiry read is a GETEX, which Redis counts as a write (it is replicated and
 * written to the AOF) and which cannot join an MGET; a read within {@link #slack} of this
 * instance's own GETEX of the same key with the same TTL is sent as a plain GET instead. The entry
 * then expires at most the slack before its last access plus the TTL: early, never late, so no
 * read is served a value older than the policy allows.
 *
 * <p>A fixed table of slots, one per key hash, each holding 24 more bits of the hash and the time
 * of the GETEX in milliseconds (40 bits) in one long, written and read atomically. Another key of
 * the same slot overwrites it; a key taken for another (the same slot and the same 24 bits) only
 * skips one TTL reset, which is early expiry again.
 */
final class RecentTouches {

    /** The most the slack may be; with the 1 % below, reached by TTLs of 100 s and longer. */
    static final long MAX_SLACK_MILLIS = 1_000;
    /** The slack as a share of the TTL: one hundredth. */
    static final long SLACK_DIVISOR = 100;

    private static final int SLOTS = 1 << 14;
    private static final int TIME_BITS = 40;
    private static final long TIME_MASK = (1L << TIME_BITS) - 1;

    /** Remembers nothing: every access-expiry read resets the TTL. */
    static final RecentTouches NONE = new RecentTouches(0);

    private final AtomicLongArray slots;
    private final long origin = System.nanoTime();

    RecentTouches() {
        this(SLOTS);
    }

    private RecentTouches(int slots) {
        this.slots = new AtomicLongArray(slots);
    }

    /** How long after a GETEX with {@code ttlMillis} a read of the key may skip resetting the TTL. */
    static long slack(long ttlMillis) {
        return Math.min(MAX_SLACK_MILLIS, ttlMillis / SLACK_DIVISOR);
    }

    /** Now, on this table's clock (milliseconds). */
    long now() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    /** True when this instance sent a GETEX of {@code key} with {@code ttlMillis} less than the slack ago. */
    boolean isRecent(String key, long ttlMillis, long now) {
        long slack = slack(ttlMillis);
        if (slack < 1 || slots.length() == 0) {
            return false;
        }
        long hash = hash(key, ttlMillis);
        long slot = slots.get(index(hash));
        if (slot == 0 || (slot >>> TIME_BITS) != check(hash)) {
            return false;
        }
        long elapsed = (now - (slot & TIME_MASK)) & TIME_MASK;
        return elapsed < slack;
    }

    /** Records a GETEX of {@code key} with {@code ttlMillis} sent at {@code sentAt} (from {@link #now}) that found the entry. */
    void touched(String key, long ttlMillis, long sentAt) {
        if (slots.length() == 0) {
            return;
        }
        long hash = hash(key, ttlMillis);
        slots.set(index(hash), check(hash) << TIME_BITS | sentAt & TIME_MASK);
    }

    private static long hash(String key, long ttlMillis) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L ^ ttlMillis * 0xC2B2AE3D27D4EB4FL;
        return h ^ h >>> 29;
    }

    private static int index(long hash) {
        return (int) hash & (SLOTS - 1);
    }

    /** 24 bits of the hash beside those that chose the slot, never 0 (an empty slot). */
    private static long check(long hash) {
        return (hash >>> 14 & 0xFFFFFF) | 1;
    }
}
