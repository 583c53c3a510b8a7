package io.github.jcacheredis.processor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The value this instance last saw for each recently processed key, so that an entry processor can
 * run on it and go straight to the compare-and-set, one round trip instead of a read and a write.
 * A stale value costs nothing but a retry: the compare-and-set fails and reports the current one.
 */
public final class RecentValues {

    private static final RecentValues OFF = new RecentValues(null, 0);

    private final Cache<String, byte[]> values;
    private final int maxValueBytes;

    private RecentValues(Cache<String, byte[]> values, int maxValueBytes) {
        this.values = values;
        this.maxValueBytes = maxValueBytes;
    }

    public static RecentValues of(int maxEntries, int maxValueBytes) {
        return new RecentValues(Caffeine.newBuilder().maximumSize(maxEntries).build(), maxValueBytes);
    }

    /** Remembers nothing: every invocation reads first. */
    public static RecentValues off() {
        return OFF;
    }

    /** The last value seen for {@code encodedKey}, or null when none is remembered. */
    public byte[] get(String encodedKey) {
        return values == null ? null : values.getIfPresent(encodedKey);
    }

    /** Remembers what the entry holds now; null (absent) or a large value forgets it. */
    public void remember(String encodedKey, byte[] bytes) {
        if (values == null) {
            return;
        }
        if (bytes == null || bytes.length > maxValueBytes) {
            values.invalidate(encodedKey);
        } else {
            values.put(encodedKey, bytes);
        }
    }
}
