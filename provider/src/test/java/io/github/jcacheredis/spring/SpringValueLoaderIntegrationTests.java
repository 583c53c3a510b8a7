package io.github.jcacheredis.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.TestRedis;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.support.NullValue;

/**
 * {@code @Cacheable(sync = true)} reaches the provider as {@link Cache#get(Object, Callable)}:
 * Spring's JCacheCache calls {@code invoke} with an entry processor that is not Serializable and
 * the loader as its argument, and marks a null result with {@link NullValue}.
 */
class SpringValueLoaderIntegrationTests {

    private CacheManager manager;
    private Cache cache;

    @BeforeEach
    void untypedCacheAsSpringBootCreatesIt() {
        manager = TestRedis.newManager(TestRedis.uniqueNamespace());
        cache = new JCacheCache(manager.createCache("loaded", new MutableConfiguration<>()));
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void theLoadedValueIsStoredAndTheNextCallIsAHit() {
        AtomicInteger loads = new AtomicInteger();
        Callable<String> loader = () -> "value " + loads.incrementAndGet();
        assertEquals("value 1", cache.get("k", loader));
        assertEquals("value 1", cache.get("k", loader));
        assertEquals(1, loads.get());
    }

    @Test
    void aNullResultIsStoredAsNullValueAndReadBackAsNull() {
        AtomicInteger loads = new AtomicInteger();
        Callable<Object> loader = () -> {
            loads.incrementAndGet();
            return null;
        };
        assertNull(cache.get("k", loader));
        assertNull(cache.get("k", loader));
        assertEquals(1, loads.get());
        assertSame(NullValue.INSTANCE, manager.getCache("loaded").get("k"));
    }

    @Test
    void aFailingLoaderReachesTheCallerAndStoresNothing() {
        Cache.ValueRetrievalException failed = assertThrows(Cache.ValueRetrievalException.class,
                () -> cache.get("k", () -> {
                    throw new IllegalStateException("database unavailable");
                }));
        assertEquals("database unavailable", failed.getCause().getMessage());
        assertNull(cache.get("k"));
    }

    /**
     * Spring's sync=true promises that concurrent callers for one key wait for a single load: within
     * one instance, invoke lets one processor per key run at a time, so the second caller waits and
     * then finds the first one's value.
     */
    @Test
    void concurrentLoadsOfOneKeyRunTheLoaderOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Callable<Object> loader = () -> {
            loads.incrementAndGet();
            loading.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            return List.of("loaded");
        };
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<Object> one = callers.submit(() -> cache.get("k", loader));
            assertTrue(loading.await(10, TimeUnit.SECONDS));
            Future<Object> other = callers.submit(() -> cache.get("k", loader));
            // the other caller must wait for the first load; a bounded wait shows whether it started its own
            assertThrows(TimeoutException.class, () -> other.get(500, TimeUnit.MILLISECONDS));
            assertEquals(1, loads.get(), "a second load started while the first was running");
            release.countDown();
            assertEquals(one.get(10, TimeUnit.SECONDS), other.get(10, TimeUnit.SECONDS));
            assertEquals(1, loads.get());
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }
}
