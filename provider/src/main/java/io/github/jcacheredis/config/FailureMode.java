package io.github.jcacheredis.config;

import java.util.Locale;

/** What a cache does while Redis is unreachable ({@code failure-mode=fail|degrade}). */
public enum FailureMode {
    /** Every call fails with a CacheException within the timeout (the default). */
    FAIL,
    /**
     * Reads behave as misses (falling through to the loader with read-through), writes are
     * skipped and counted, and the keys they touched are deleted once Redis is back.
     */
    DEGRADE;

    public static FailureMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failure-mode must be 'fail' or 'degrade', not '" + text + "'", e);
        }
    }
}
