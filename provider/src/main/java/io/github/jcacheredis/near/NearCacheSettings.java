package io.github.jcacheredis.near;

import java.time.Duration;
import java.util.Objects;

/**
 * The local tier of one cache: at most {@code maxEntries} values kept in this JVM, each for at most
 * {@code localTtl} (null: as long as the entry lives in Redis).
 */
public record NearCacheSettings(int maxEntries, Duration localTtl) {

    public NearCacheSettings {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("a near cache needs a positive maximum number of entries, not " + maxEntries);
        }
        if (localTtl != null && (localTtl.isNegative() || localTtl.isZero())) {
            throw new IllegalArgumentException("a near cache's local TTL must be positive, not " + localTtl);
        }
    }

    /**
     * Parses {@code <maxEntries>} or {@code <maxEntries>,<localTtl>}, the TTL as milliseconds or with
     * a unit ({@code 500ms}, {@code 30s}, {@code 5m}); {@code off} or empty gives null.
     */
    public static NearCacheSettings parse(String text) {
        String t = Objects.requireNonNull(text, "text").trim();
        if (t.isEmpty() || t.equalsIgnoreCase("off")) {
            return null;
        }
        String[] parts = t.split(",", 2);
        try {
            int maxEntries = Integer.parseInt(parts[0].trim());
            Duration ttl = parts.length == 2 ? duration(parts[1].trim()) : null;
            return new NearCacheSettings(maxEntries, ttl);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("near-cache must be '<max entries>' or '<max entries>,<local ttl>'"
                    + " (for example 10000,30s), not '" + text + "'", e);
        }
    }

    private static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim()));
        }
        return Duration.ofMillis(Long.parseLong(text));
    }
}
