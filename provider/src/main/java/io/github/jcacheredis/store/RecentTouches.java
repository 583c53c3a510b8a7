package io.github.jcacheredis.store;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * When this instance last set an entry's access TTL, so that a read soon after need not set it
 * again. An access-expiry read is a GETEX, which Redis counts as a write (it is replicated and
 * written to the AOF) and which cannot join an MGET; a read within {@link #slack} of this
 * instance's own GETEX of the same key with the same TTL is sent as a plain GET instead. The entry
 * then expires at most the slack before its last access plus the TTL: early, never late, so no
 * read is served a value older than the policy allows.
 *
 * <p>A fixed table of slots, one per key hash, each holding the key, the TTL and the time of the
 * GETEX, written and read atomically. Another key of the same slot overwrites it. A slot answers
 * only for the very key it holds: a key taken for another (one whose string shares its hash code,
 * as "Aa" and "BB" do) would skip its own reset whenever it was last made, and expire up to a whole
 * TTL early.
 */
final class RecentTouches {

    /** The most the slack may be; with the 1 % below, reached by TTLs of 100 s and longer. */
    static final long MAX_SLACK_MILLIS = 1_000;
    /** The slack as a share of the TTL: one hundredth. */
    static final long SLACK_DIVISOR = 100;

    private static final int SLOTS = 1 << 14;

    /** Remembers nothing: every access-expiry read resets the TTL. */
    static final RecentTouches NONE = new RecentTouches(0);

    /** A GETEX of {@code key} with {@code ttlMillis}, sent at {@code sentAt}. */
    private record Touch(String key, long ttlMillis, long sentAt) {
    }

    private final AtomicReferenceArray<Touch> slots;
    private final long origin = System.nanoTime();

    RecentTouches() {
        this(SLOTS);
    }

    private RecentTouches(int slots) {
        this.slots = new AtomicReferenceArray<>(slots);
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
        Touch touch = slots.get(index(key, ttlMillis));
        return touch != null && touch.ttlMillis == ttlMillis && touch.key.equals(key) && now - touch.sentAt < slack;
    }

    /** Records a GETEX of {@code key} with {@code ttlMillis} sent at {@code sentAt} (from {@link #now}) that found the entry. */
    void touched(String key, long ttlMillis, long sentAt) {
        if (slots.length() == 0) {
            return;
        }
        slots.set(index(key, ttlMillis), new Touch(key, ttlMillis, sentAt));
    }

    private static int index(String key, long ttlMillis) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L ^ ttlMillis * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ h >>> 29) & (SLOTS - 1);
    }
}
