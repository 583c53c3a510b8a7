package io.github.jcacheredis.config;

import io.github.jcacheredis.codec.CodecKind;
import io.github.jcacheredis.near.NearCacheSettings;
import io.github.jcacheredis.near.NearInvalidation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The provider's own settings for one CacheManager, next to the Redisson connection config.
 *
 * @param namespace       first segment of every Redis key; isolates apps and environments
 * @param codec           how values are encoded
 * @param allowedPackages packages whose classes values and keys may instantiate, beyond the
 *                        declared types of each cache and JDK value types
 * @param timeout         how long one attempt of a Redis call may take (one retry follows)
 * @param failureMode     what caches do while Redis is unreachable
 * @param nearCache       the local tier every cache of the manager keeps, or null for none
 * @param format          how entries are laid out in Redis
 * @param nearInvalidation how near caches learn of changes in Redis
 * @param batching        whether single-entry calls from concurrent threads share round trips: while
 *                        a batch is on its way to a Redis node, later calls for that node wait and
 *                        go together as the next one
 * @param batchMax        the most commands one such batch carries
 */
public record ProviderSettings(String namespace, CodecKind codec, List<String> allowedPackages, Duration timeout,
                               FailureMode failureMode, NearCacheSettings nearCache, EntryFormat format,
                               NearInvalidation nearInvalidation, boolean batching, int batchMax) {

    public static final String NAMESPACE = "namespace";
    public static final String CODEC = "codec";
    public static final String ALLOWED_PACKAGES = "allowed-packages";
    public static final String TIMEOUT = "timeout";
    public static final String FAILURE_MODE = "failure-mode";
    public static final String NEAR_CACHE = "near-cache";
    public static final String FORMAT = "format";
    public static final String NEAR_CACHE_INVALIDATION = "near-cache-invalidation";
    public static final String BATCHING = "batching";
    public static final String BATCH_MAX = "batch-max";

    /** Every provider key, as accepted in URI queries, Properties, config files and system properties. */
    public static final List<String> KEYS = List.of(NAMESPACE, CODEC, ALLOWED_PACKAGES, TIMEOUT, FAILURE_MODE,
            NEAR_CACHE, FORMAT, NEAR_CACHE_INVALIDATION, BATCHING, BATCH_MAX);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1000);

    public static final int DEFAULT_BATCH_MAX = 128;
    /** The largest {@code batch-max} accepted. */
    public static final int MAX_BATCH_MAX = 4096;

    /** System properties named {@code jcache.redis.<key>} give defaults for every manager. */
    public static final String SYSTEM_PROPERTY_PREFIX = "jcache.redis.";

    public static final String DEFAULT_NAMESPACE = "jcache";

    public ProviderSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(failureMode, "failureMode");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(nearInvalidation, "nearInvalidation");
        allowedPackages = List.copyOf(allowedPackages);
        if (batchMax < 1 || batchMax > MAX_BATCH_MAX) {
            throw new IllegalArgumentException("batch-max must be between 1 and " + MAX_BATCH_MAX + ", not " + batchMax);
        }
        if (format == EntryFormat.KEYV && codec != CodecKind.JSON) {
            throw new IllegalArgumentException("format=keyv stores JSON, as @keyv/redis does; remove codec=" + codec
                    .name().toLowerCase(java.util.Locale.ROOT) + " or use format=jcache");
        }
        if (format == EntryFormat.KEYV && nearCache != null) {
            throw new IllegalArgumentException("format=keyv shares entries with Node.js services, whose writes a near"
                    + " cache would not see; remove near-cache or use format=jcache");
        }
    }

    /** Settings from string values keyed by the names in {@link #KEYS}; absent keys take defaults. */
    public static ProviderSettings from(Map<String, String> values) {
        String namespace = values.getOrDefault(NAMESPACE, DEFAULT_NAMESPACE);
        CodecKind codec = values.containsKey(CODEC) ? CodecKind.parse(values.get(CODEC)) : CodecKind.JSON;
        List<String> packages = Arrays.stream(values.getOrDefault(ALLOWED_PACKAGES, "").split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        Duration timeout = values.containsKey(TIMEOUT) ? parseDuration(values.get(TIMEOUT)) : DEFAULT_TIMEOUT;
        FailureMode mode = values.containsKey(FAILURE_MODE) ? FailureMode.parse(values.get(FAILURE_MODE)) : FailureMode.FAIL;
        NearCacheSettings near = values.containsKey(NEAR_CACHE) ? NearCacheSettings.parse(values.get(NEAR_CACHE)) : null;
        EntryFormat format = values.containsKey(FORMAT) ? EntryFormat.parse(values.get(FORMAT)) : EntryFormat.JCACHE;
        NearInvalidation invalidation = values.containsKey(NEAR_CACHE_INVALIDATION)
                ? NearInvalidation.parse(values.get(NEAR_CACHE_INVALIDATION)) : NearInvalidation.AUTO;
        boolean batching = !values.containsKey(BATCHING) || parseBoolean(BATCHING, values.get(BATCHING));
        int batchMax = values.containsKey(BATCH_MAX) ? parseInt(BATCH_MAX, values.get(BATCH_MAX)) : DEFAULT_BATCH_MAX;
        return new ProviderSettings(namespace, codec, packages, timeout, mode, near, format, invalidation, batching,
                batchMax);
    }

    private static boolean parseBoolean(String key, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + text + "'");
    }

    private static int parseInt(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + text + "'", e);
        }
    }

    /** {@code 1500}, {@code 1500ms} or {@code 2s}; between 1 ms and one minute. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Duration duration;
        try {
            if (t.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else {
                duration = Duration.ofMillis(Long.parseLong(t));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeout must be milliseconds (1500, 1500ms) or seconds (2s), not '"
                    + text + "'", e);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 ms and one minute, not '" + text + "'");
        }
        return duration;
    }
}
