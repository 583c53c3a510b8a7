package io.github.jcacheredis.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The local tier of one cache: the encoded values of recently read entries (decoded afresh for
 * every caller, so the cache stays store-by-value), bounded by Caffeine, each kept no longer than
 * its entry lives in Redis. An entry leaves when this instance writes it, when another instance's
 * write or clear reaches it through Redis, and all of them when the connection to Redis is lost.
 *
 * <p>A read that misses fills the tier only if no invalidation of its key happened while its
 * request was in flight: {@link #beginLoad} hands out a token, every invalidation withdraws the
 * key's token, and {@link #completeLoad} stores the value only while its token is still there.
 * Token check and store happen under the same map bin lock as an invalidation, so an
 * invalidation that arrives before the reply that would have filled the tier always wins.
 *
 * <p>Whoever keeps the tier in step with Redis may bound how long it can be trusted
 * ({@link #trustUntil}): past that moment it is neither served nor filled, as if empty, until it is
 * trusted again, and then it starts empty.
 */
public final class NearCache {

    private final Cache<String, Local> values;
    private final ConcurrentHashMap<String, Object> pendingLoads = new ConcurrentHashMap<>();
    private final long localTtlNanos;
    /** The time in nanoseconds, as {@link System#nanoTime()} gives it (or a test's clock). */
    private final LongSupplier clock;
    /** False while changes may go unreported (a lost tracking connection): see {@link #distrust}. */
    private volatile boolean trusted = true;
    /** Whether {@link #trustedUntil} bounds the use of the tier at all (it does not until first set). */
    private volatile boolean bounded;
    /** The {@link System#nanoTime()} until which the tier may be used, while {@link #bounded}. */
    private volatile long trustedUntil;

    public NearCache(NearCacheSettings settings) {
        this(settings, System::nanoTime);
    }

    /** A tier whose deadlines count on {@code clock} (nanoseconds, as {@link System#nanoTime()}). */
    public NearCache(NearCacheSettings settings, LongSupplier clock) {
        this.clock = clock;
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(settings.maxEntries())
                .ticker(clock::getAsLong);
        if (settings.localTtl() != null) {
            builder.expireAfterWrite(settings.localTtl());
        }
        this.values = builder.build();
        this.localTtlNanos = settings.localTtl() == null ? Long.MAX_VALUE : settings.localTtl().toNanos();
    }

    /** The bytes held for {@code encodedKey}, or null. */
    public byte[] get(String encodedKey) {
        if (!isTrusted()) {
            return null;
        }
        Local local = values.getIfPresent(encodedKey);
        if (local == null) {
            return null;
        }
        if (clock.getAsLong() - local.deadline >= 0) {
            values.asMap().remove(encodedKey, local);
            return null;
        }
        return local.bytes;
    }

    /** Marks the start of a read that may fill the tier; returns its token. */
    public Object beginLoad(String encodedKey) {
        Object token = new Object();
        pendingLoads.put(encodedKey, token);
        return token;
    }

    /**
     * Fills the tier with what a read found, unless the key was invalidated since
     * {@link #beginLoad}: {@code ttlMillis} is the entry's remaining TTL in Redis (negative: none).
     */
    public void completeLoad(String encodedKey, Object token, byte[] bytes, long ttlMillis) {
        pendingLoads.computeIfPresent(encodedKey, (key, current) -> {
            if (current == token && bytes != null && ttlMillis != 0 && isTrusted()) {
                long ttlNanos = ttlMillis > 0 ? Math.min(TimeUnit.MILLISECONDS.toNanos(ttlMillis), localTtlNanos)
                        : localTtlNanos;
                values.put(key, new Local(bytes, clock.getAsLong() + Math.min(ttlNanos, Long.MAX_VALUE / 4)));
                return null;
            }
            return current == token ? null : current;
        });
    }

    /** Forgets one key, and cancels the reads of it in flight. */
    public void invalidate(String encodedKey) {
        pendingLoads.compute(encodedKey, (key, current) -> {
            values.invalidate(key);
            return null;
        });
    }

    /** Forgets everything, and cancels every read in flight. */
    public void invalidateAll() {
        pendingLoads.clear();
        values.invalidateAll();
    }

    /**
     * Changes may go unreported from now on (a lost tracking connection): empties the tier and stops
     * its use until {@link #trust}.
     */
    public void distrust() {
        trusted = false;
        invalidateAll();
    }

    /** Changes are reported again: the tier starts afresh (reads begun before cannot fill it). */
    public void trust() {
        invalidateAll();
        trusted = true;
    }

    /**
     * Lets the tier be used until {@code deadline} (a {@link System#nanoTime()} value), from now on
     * or again: a deadline that has passed stops its use at once and empties it; resuming its use
     * after a lapse empties it too, since what it held was not kept in step meanwhile.
     */
    public synchronized void trustUntil(long deadline) {
        long now = clock.getAsLong();
        if (deadline - now <= 0) {
            trustedUntil = deadline;
            bounded = true;
            invalidateAll(); // also cancels the reads in flight, so none fills it afterwards
            return;
        }
        if (!isTrusted(now)) {
            invalidateAll();
        }
        trustedUntil = deadline;
        bounded = true;
    }

    /** True while the tier may be served and filled. */
    public boolean isTrusted() {
        return isTrusted(clock.getAsLong());
    }

    private boolean isTrusted(long now) {
        return trusted && (!bounded || trustedUntil - now > 0);
    }

    private record Local(byte[] bytes, long deadline) {
    }
}
