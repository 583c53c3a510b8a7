package io.github.jcacheredis.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.Await;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Near caches invalidated by what the writers publish ({@code near-cache-invalidation=published}):
 * removing a cache's entries wholesale reaches every other instance's near cache, whoever does it.
 */
class PublishedInvalidationIntegrationTests {

    private static final String CACHE = "prices";

    @AutoClose
    final Instances instances = new Instances();

    @Test
    void destroyCacheFromAManagerThatNeverOpenedTheCacheEmptiesOtherNearCaches() {
        Cache<String, Long> near = nearCacheInstance();
        near.put("k", 1L);
        assertEquals(1L, near.get("k")); // held locally now

        CacheManager stranger = instances.open(uri(), Map.of());
        stranger.destroyCache(CACHE);

        assertEquals(0L, TestRedis.server().call("EXISTS", instances.namespace() + ":" + CACHE + ":k"), "gone from Redis");
        Await.until("the near cache forgets the destroyed entries", Duration.ofSeconds(2),
                () -> near.get("k") == null && !near.containsKey("k"));
    }

    @Test
    void clearFromAManagerWithoutNearCacheOrListenersEmptiesOtherNearCaches() {
        Cache<String, Long> near = nearCacheInstance();
        near.put("k", 1L);
        assertEquals(1L, near.get("k"));

        Cache<String, Long> plain = instances.open(uri(), Map.of()).createCache(CACHE, config());
        plain.clear();

        Await.until("the near cache forgets the cleared entries", Duration.ofSeconds(2),
                () -> near.get("k") == null && !near.containsKey("k"));
        assertTrue(plain.getCacheManager().getCache(CACHE) != null);
    }

    private Cache<String, Long> nearCacheInstance() {
        return instances.open(uri(), Instances.NEAR_CACHE_PUBLISHED).createCache(CACHE, config());
    }

    private static MutableConfiguration<String, Long> config() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }

    private static URI uri() {
        return URI.create(TestRedis.server().uri());
    }
}
