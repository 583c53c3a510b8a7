package io.github.jcacheredis;

import io.github.jcacheredis.near.NearCacheSettings;
import java.time.Duration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;

/**
 * A {@link MutableConfiguration} with this provider's per-cache settings. Other providers treat it
 * as a plain MutableConfiguration.
 *
 * <pre>
 * manager.createCache("products", new RedisCacheConfiguration&lt;String, Product&gt;()
 *         .nearCache(10_000, Duration.ofSeconds(30))
 *         .setTypes(String.class, Product.class));
 * </pre>
 */
public class RedisCacheConfiguration<K, V> extends MutableConfiguration<K, V> {

    private static final long serialVersionUID = 1L;

    private NearCacheSettings nearCache;
    private boolean nearCacheSet;

    public RedisCacheConfiguration() {
    }

    /** A copy of {@code configuration}, with its near-cache setting when it is one of these. */
    public RedisCacheConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof RedisCacheConfiguration<K, V> redis) {
            this.nearCache = redis.nearCache;
            this.nearCacheSet = redis.nearCacheSet;
        }
    }

    /**
     * Keeps up to {@code maxEntries} values of this cache in each JVM, each for at most
     * {@code localTtl} (null: as long as the entry lives in Redis), invalidated through Redis.
     */
    public RedisCacheConfiguration<K, V> nearCache(int maxEntries, Duration localTtl) {
        this.nearCache = new NearCacheSettings(maxEntries, localTtl);
        this.nearCacheSet = true;
        return this;
    }

    /** No local tier for this cache, whatever the manager's {@code near-cache} setting says. */
    public RedisCacheConfiguration<K, V> withoutNearCache() {
        this.nearCache = null;
        this.nearCacheSet = true;
        return this;
    }

    /** The local tier of this cache given the manager's default: this cache's own setting wins. */
    NearCacheSettings nearCache(NearCacheSettings managerDefault) {
        return nearCacheSet ? nearCache : managerDefault;
    }
}
