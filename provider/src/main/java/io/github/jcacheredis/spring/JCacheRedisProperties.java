package io.github.jcacheredis.spring;

import io.github.jcacheredis.codec.CodecKind;
import io.github.jcacheredis.config.EntryFormat;
import io.github.jcacheredis.config.FailureMode;
import io.github.jcacheredis.config.ProviderSettings;
import io.github.jcacheredis.near.NearInvalidation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The provider settings of the CacheManager Spring Boot creates, as {@code jcache-redis.*}
 * application properties. Each applies only where the manager's own sources (REDIS_URL's query,
 * the {@code jcache:} block of {@code spring.cache.jcache.config}, system properties
 * {@code jcache.redis.*}) give no value.
 */
@ConfigurationProperties(prefix = "jcache-redis")
public class JCacheRedisProperties {

    /** First encoded key of every Redis key; isolates applications and environments sharing a Redis. Default: jcache. */
    private String namespace;

    /** How values are encoded: json (readable, the default) or java (Java serialization). */
    private CodecKind codec;

    /**
     * Packages whose classes values may instantiate, beyond each cache's declared types and JDK
     * value types. Default: the application's own packages.
     */
    private List<String> allowedPackages;

    /** How long one attempt of a Redis call may take; one retry follows. Default: 1s. */
    private Duration timeout;

    /** What caches do while Redis is unreachable: fail (throw) or degrade (act as empty). Default: fail. */
    private FailureMode failureMode;

    /** A near cache for every cache: max entries per JVM, optionally a local TTL ("10000" or "10000,30s"). */
    private String nearCache;

    /** How entries are laid out in Redis: jcache (the default) or keyv (shared with Node.js keyv). */
    private EntryFormat format;

    /** How near caches learn of changes: auto (Redis' CLIENT TRACKING where allowed), tracking, or published. */
    private NearInvalidation nearCacheInvalidation;

    /**
     * Whether single-entry calls from concurrent threads share round trips to Redis (natural
     * batching: while one batch is on its way to a node, later calls wait and go as the next). Default: true.
     */
    private Boolean batching;

    /** The most commands one batch carries. Default: 128. */
    private Integer batchMax;

    public Boolean getBatching() {
        return batching;
    }

    public void setBatching(Boolean batching) {
        this.batching = batching;
    }

    public Integer getBatchMax() {
        return batchMax;
    }

    public void setBatchMax(Integer batchMax) {
        this.batchMax = batchMax;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public CodecKind getCodec() {
        return codec;
    }

    public void setCodec(CodecKind codec) {
        this.codec = codec;
    }

    public List<String> getAllowedPackages() {
        return allowedPackages;
    }

    public void setAllowedPackages(List<String> allowedPackages) {
        this.allowedPackages = allowedPackages;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public FailureMode getFailureMode() {
        return failureMode;
    }

    public void setFailureMode(FailureMode failureMode) {
        this.failureMode = failureMode;
    }

    public String getNearCache() {
        return nearCache;
    }

    public void setNearCache(String nearCache) {
        this.nearCache = nearCache;
    }

    public NearInvalidation getNearCacheInvalidation() {
        return nearCacheInvalidation;
    }

    public void setNearCacheInvalidation(NearInvalidation nearCacheInvalidation) {
        this.nearCacheInvalidation = nearCacheInvalidation;
    }

    public EntryFormat getFormat() {
        return format;
    }

    public void setFormat(EntryFormat format) {
        this.format = format;
    }

    /** The properties that are set, as provider settings. */
    Map<String, String> asSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        put(settings, ProviderSettings.NAMESPACE, namespace);
        put(settings, ProviderSettings.CODEC, codec == null ? null : lower(codec));
        put(settings, ProviderSettings.ALLOWED_PACKAGES, allowedPackages == null ? null : String.join(",", allowedPackages));
        put(settings, ProviderSettings.TIMEOUT, timeout == null ? null : timeout.toMillis() + "ms");
        put(settings, ProviderSettings.FAILURE_MODE, failureMode == null ? null : lower(failureMode));
        put(settings, ProviderSettings.NEAR_CACHE, nearCache);
        put(settings, ProviderSettings.FORMAT, format == null ? null : lower(format));
        put(settings, ProviderSettings.NEAR_CACHE_INVALIDATION, nearCacheInvalidation == null ? null
                : lower(nearCacheInvalidation));
        put(settings, ProviderSettings.BATCHING, batching == null ? null : batching.toString());
        put(settings, ProviderSettings.BATCH_MAX, batchMax == null ? null : batchMax.toString());
        return settings;
    }

    private static void put(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
