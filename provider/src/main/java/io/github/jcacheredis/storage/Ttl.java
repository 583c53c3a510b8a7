package io.github.jcacheredis.storage;

import java.util.concurrent.TimeUnit;
import javax.cache.expiry.Duration;

/**
 * A time-to-live decision encoded as one number, the form the Lua scripts take:
 * {@link #UNKNOWN} (ask the policy), {@link #KEEP} (leave the TTL as it is), {@link #ETERNAL}
 * (no TTL), {@link #EXPIRE_NOW} (do not store, or remove), or a positive number of milliseconds.
 */
public final class Ttl {

    public static final long UNKNOWN = -3;
    public static final long KEEP = -2;
    public static final long ETERNAL = -1;
    public static final long EXPIRE_NOW = 0;

    /** Redis refuses expiry times that overflow; nothing cached needs more than a thousand years. */
    public static final long MAX_MILLIS = TimeUnit.DAYS.toMillis(365L * 1000);

    private Ttl() {
    }

    /** The encoding of a JCache duration; null means "leave unchanged". */
    public static long of(Duration duration) {
        if (duration == null) {
            return KEEP;
        }
        if (duration.isEternal()) {
            return ETERNAL;
        }
        if (duration.isZero()) {
            return EXPIRE_NOW;
        }
        long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
        return Math.min(MAX_MILLIS, Math.max(1, millis));
    }

    public static boolean isMillis(long ttl) {
        return ttl > 0;
    }
}
