package io.github.jcacheredis.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.Await;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.RedisServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.management.ObjectName;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The local tier: served locally, invalidated through Redis, never stale once invalidated. */
class NearCacheIntegrationTests {

    @AutoClose
    private final Instances instances = new Instances();
    private final String namespace = instances.namespace();

    private Cache<String, Long> instance(URI uri, RedisCacheConfiguration<String, Long> config) {
        return instance(uri, config, "auto");
    }

    private Cache<String, Long> instance(URI uri, RedisCacheConfiguration<String, Long> config, String invalidation) {
        Properties properties = new Properties();
        properties.setProperty("namespace", namespace);
        properties.setProperty("near-cache-invalidation", invalidation);
        CacheManager manager = new RedisCachingProvider().getCacheManager(uri, getClass().getClassLoader(), properties);
        instances.add(manager);
        return manager.createCache("prices", config.setTypes(String.class, Long.class));
    }

    private Cache<String, Long> instance() {
        return instance(URI.create(TestRedis.server().uri()),
                new RedisCacheConfiguration<String, Long>().nearCache(1_000, null));
    }

    @Test
    void hitsAreServedLocallyAndCountAsHitsWhileWritesAreReadBackAtOnce() throws Exception {
        try (RedisServer own = RedisServer.start()) { // its command counts are this test's alone
            hitsAreServedLocally(own);
        }
    }

    private void hitsAreServedLocally(RedisServer redis) throws Exception {
        // written before the instance tracks its keys: Redis reports every write made after that to
        // the tracking connection, late as it may be, and a late report empties a filled tier again
        redis.call("SET", namespace + ":prices:k", "1");
        Cache<String, Long> cache = instance(URI.create(redis.uri()),
                new RedisCacheConfiguration<String, Long>().nearCache(1_000, null));
        cache.getCacheManager().enableStatistics("prices", true);
        // the tier fills and serves once the instance has read who listens (until then it cannot
        // know whether anyone tracks expiry, which reads must then touch in Redis)
        LocalTier.awaitServedLocally(redis, cache, "k", 1L);
        long reads = redisReads(redis);
        assertEquals(1L, cache.get("k"));
        assertEquals(reads, redisReads(redis), "a filled tier serves reads locally: no command reached Redis");
        redis.call("SET", namespace + ":prices:k", "99"); // behind the provider's back
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (cache.get("k") != 99L) {
            assertTrue(System.nanoTime() < deadline, "Redis' own invalidation of an outside write did not arrive");
        }
        cache.put("k", 2L);
        assertEquals(2L, cache.get("k"), "read-your-writes on the writing instance");
        ObjectName stats = new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
                + cache.getCacheManager().getURI().toString().replace(":", ".") + ",Cache=prices");
        assertTrue((Long) ManagementFactory.getPlatformMBeanServer().getAttribute(stats, "CacheHits") >= 4L,
                "near hits count as hits");
    }

    @Test
    void underConcurrentWritesAnotherInstanceNeverServesAValueOlderThanTheLastOneConfirmed() throws Exception {
        Cache<String, Long> writer = instance();
        Cache<String, Long> reader = instance();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService noise = Executors.newFixedThreadPool(3);
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            readers.add(noise.submit(() -> {
                while (!stop.get()) {
                    reader.get("k" + ThreadLocalRandom.current().nextInt(5)); // concurrent fills
                }
                return null;
            }));
        }
        try {
            for (long version = 1; version <= 100; version++) {
                String key = "k" + (version % 5);
                long previous = version - 5;
                writer.put(key, version);
                long confirmed = awaitValue(() -> reader.get(key), version, previous);
                assertEquals(version, confirmed);
            }
        } finally {
            stop.set(true);
            for (Future<?> f : readers) {
                f.get(10, TimeUnit.SECONDS);
            }
            noise.shutdown();
        }
    }

    /** Commands that read entries (the near cache reads value and TTL with GET and PTTL) the test server has run. */
    private static long redisReads(RedisServer redis) {
        return redis.commandCalls("get", "pttl");
    }

    /** Polls until {@code read} gives {@code expected}; every value seen meanwhile must be the previous one. */
    private static long awaitValue(Supplier<Long> read, long expected, long previous) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline) {
            Long seen = read.get();
            if (seen != null && seen == expected) {
                return seen;
            }
            assertTrue(seen == null ? previous <= 0 : seen == previous,
                    "saw " + seen + " while waiting for " + expected + " (previous " + previous + ")");
        }
        throw new AssertionError("value " + expected + " not visible within 1 s");
    }

    @Test
    void aClearOnAnotherInstanceEmptiesTheLocalTier() {
        Cache<String, Long> a = instance();
        Cache<String, Long> b = instance();
        a.put("k", 1L);
        LocalTier.awaitServedLocally(TestRedis.server(), b, "k", 1L);
        a.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (b.get("k") != null) {
            assertTrue(System.nanoTime() < deadline, "B still serves a cleared entry after 1 s");
        }
    }

    @Test
    void aLocalValueLivesNoLongerThanItsEntryInRedis() throws Exception {
        Cache<String, Long> cache = instance(URI.create(TestRedis.server().uri()),
                (RedisCacheConfiguration<String, Long>) new RedisCacheConfiguration<String, Long>().nearCache(1_000, null)
                        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                                new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 300))));
        cache.put("k", 1L);
        assertEquals(1L, cache.get("k"));
        Thread.sleep(400); // the entry's own TTL is what is under test
        assertNull(cache.get("k"));
    }

    /**
     * With published invalidations nothing tells the local tier of an expiry in Redis, and with
     * Redis' active expiry off (DEBUG SET-ACTIVE-EXPIRE 0) nothing deletes the key before it is
     * read: only the local copy's own end at the entry's TTL keeps the expired value from being served.
     */
    @Test
    void aLocalValueLivesNoLongerThanItsEntryInRedisWhenNothingTellsOfTheExpiry() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            redis.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            Cache<String, Long> cache = instance(URI.create(redis.uri()),
                    (RedisCacheConfiguration<String, Long>) new RedisCacheConfiguration<String, Long>().nearCache(1_000, null)
                            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                                    new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 300))), "published");
            // the local tier is used once the instance's registration is confirmed
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                cache.put("k", 1L); // its TTL starts again
                assertEquals(1L, cache.get("k"));
                long reads = redisReads(redis);
                assertEquals(1L, cache.get("k"));
                if (redisReads(redis) == reads) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "k is not served locally");
            }
            Thread.sleep(400); // the entry's own TTL is what is under test
            assertNull(cache.get("k"));
        }
    }

    /**
     * While any instance listens for EXPIRED events on the cache, every read goes to Redis, where
     * an access is what makes an entry's expiry reported in time; once the listener is gone, the
     * local tier serves reads again.
     */
    @Test
    void theLocalTierIsNotUsedWhileAnotherInstanceListensForExpiredEvents() throws Exception {
        try (RedisServer redis = RedisServer.start()) { // its command counts are this test's alone
            URI uri = URI.create(redis.uri());
            Cache<String, Long> near = instance(uri, new RedisCacheConfiguration<String, Long>().nearCache(1_000, null));
            near.put("k", 1L);
            LocalTier.awaitServedLocally(redis, near, "k", 1L);

            Cache<String, Long> listening = instance(uri, new RedisCacheConfiguration<>());
            EventRecorder recorder = EventRecorder.register(listening, false);
            Await.until(() -> !LocalTier.servesLocally(redis, near, "k", 1L), Duration.ofSeconds(10)); // the near instance learns of it
            for (int i = 0; i < 5; i++) {
                assertFalse(LocalTier.servesLocally(redis, near, "k", 1L), "read " + i + " while another instance listens for EXPIRED");
            }

            listening.deregisterCacheEntryListener(recorder.configuration());
            Await.until(() -> LocalTier.servesLocally(redis, near, "k", 1L), Duration.ofSeconds(15));
        }
    }

    @Test
    void aRestartOfRedisFlushesTheLocalTier() {
        try (RedisServer redis = RedisServer.start()) {
            URI uri = URI.create(redis.uri());
            Cache<String, Long> cache = instance(uri, new RedisCacheConfiguration<String, Long>()
                    .nearCache(1_000, Duration.ofMinutes(10)));
            cache.put("k", 1L);
            LocalTier.awaitServedLocally(redis, cache, "k", 1L);
            redis.kill();
            redis.restart();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                try {
                    cache.put("probe", 1L); // succeeds once Redis is back and the manager uses it again
                    break;
                } catch (javax.cache.CacheException stillReconnecting) {
                    assertTrue(System.nanoTime() < deadline, "Redis did not come back");
                }
            }
            // the manager has used the restarted Redis: from now on nothing it lost may be served
            assertNull(cache.get("k"), "the local tier served what the restarted Redis lost");
        }
    }
}
