package io.github.jcacheredis.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.Await;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
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

    /**
     * With an access-expiry policy every near hit applies the access TTL in Redis, and so learns
     * whether the entry is still there: one gone without a publication (evicted, here deleted
     * outside the provider) is a miss, not the local copy.
     */
    @Test
    void aNearHitOnAnAccessExpiryCacheIsAMissOnceRedisNoLongerHoldsTheEntry() {
        MutableConfiguration<String, Long> accessed = config().setExpiryPolicyFactory(
                AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 1)));
        Cache<String, Long> near = instances.open(uri(), Instances.NEAR_CACHE_PUBLISHED).createCache(CACHE, accessed);
        String key = instances.namespace() + ":" + CACHE + ":k";
        Await.until("the near cache serves k locally", Duration.ofSeconds(10), () -> {
            near.put("k", 1L);
            near.get("k");
            TestRedis.server().call("SET", key, "2"); // unpublished: only a local hit still answers 1
            return Long.valueOf(1).equals(near.get("k"));
        });
        near.put("k", 1L);
        near.get("k"); // held locally again

        TestRedis.server().call("DEL", key); // as eviction would: nobody is told

        assertNull(near.get("k"), "the hit's access TTL found the entry gone in Redis");
        assertFalse(near.containsKey("k"));
    }

    /**
     * An access TTL that makes the entry eternal (PERSIST in Redis) is applied on a near hit too,
     * and a present entry without a TTL is still present: the hit answers its value.
     */
    @Test
    void aNearHitOnACacheWhoseAccessMakesEntriesEternalAnswersTheValue() {
        MutableConfiguration<String, Long> accessed = config().setExpiryPolicyFactory(
                AccessedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ETERNAL));
        Cache<String, Long> near = instances.open(uri(), Instances.NEAR_CACHE_PUBLISHED).createCache(CACHE, accessed);
        near.put("k", 1L);
        for (int i = 0; i < 5; i++) {
            assertEquals(1L, near.get("k"), "read " + i + " of a present entry");
        }
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
