package io.github.jcacheredis.failure;

import static io.github.jcacheredis.support.Await.succeeds;
import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.management.MBeans;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.Stall;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What caches do while their Redis is unreachable, and that they recover by themselves. */
class FailureModeIntegrationTests {

    private static final long TIMEOUT_MILLIS = 300;
    /** One attempt, one retry 100 ms later, and scheduling slack on a busy two-core machine. */
    private static final long BOUND_MILLIS = 2 * TIMEOUT_MILLIS + 100 + 700;

    private RedisServer redis;
    private CacheManager manager;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        redis.close();
    }

    private Cache<String, String> cache(String failureMode, boolean readThrough) {
        Properties properties = new Properties();
        properties.setProperty("timeout", String.valueOf(TIMEOUT_MILLIS));
        properties.setProperty("failure-mode", failureMode);
        manager = new RedisCachingProvider().getCacheManager(URI.create(redis.uri()), getClass().getClassLoader(), properties);
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class);
        if (readThrough) {
            config.setReadThrough(true).setCacheLoaderFactory(FactoryBuilder.factoryOf(EchoLoader.class));
        }
        return manager.createCache("c", config);
    }

    @Test
    void failModeThrowsWithinTheTimeoutAndRecoversWithoutANewManager() {
        Cache<String, String> cache = cache("fail", false);
        cache.put("k", "v");
        redis.kill();

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            CacheException failure = assertThrows(CacheException.class, () -> cache.get("k"));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed < BOUND_MILLIS, "call " + i + " took " + elapsed + " ms: " + failure.getMessage());
            assertTrue(failure.getMessage().contains("Cache[c]"), failure.getMessage());
        }

        redis.restart();
        until(() -> succeeds(() -> cache.put("k", "again")));
        assertEquals("again", cache.get("k"));
    }

    /**
     * A server that stops answering without closing anything (DEBUG SLEEP) is found out by the first
     * call's timeouts; the calls after it fail at once, without waiting on Redis, until it answers again.
     */
    @Test
    void failModeUnderAStallThrowsWithinTheTimeoutsAndThenWithoutWaiting() {
        Cache<String, String> cache = cache("fail", false);
        cache.put("k", "v");
        try (Stall stall = redis.stall(Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            CacheException first = assertThrows(CacheException.class, () -> cache.get("k"));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed < BOUND_MILLIS, "the first call took " + elapsed + " ms: " + first.getMessage());
            for (int i = 0; i < 5; i++) {
                long callStart = System.nanoTime();
                assertThrows(CacheException.class, i % 2 == 0 ? () -> cache.get("k") : () -> cache.put("k", "w"));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callStart);
                assertTrue(millis < TIMEOUT_MILLIS, "call " + i + " after the first waited " + millis + " ms on a stalled Redis");
            }
        }
        until(() -> succeeds(() -> cache.put("k", "again")));
        assertEquals("again", cache.get("k"));
    }

    /**
     * A cache created while Redis is known to be unreachable cannot read who listens; its writes
     * do not wait for that read (as a new cache's writes otherwise do), they are skipped at once.
     */
    @Test
    void writesToACacheCreatedDuringAnOutageAreSkippedWithoutWaiting() {
        Cache<String, String> first = cache("degrade", false);
        try (Stall stall = redis.stall(Duration.ofSeconds(5))) {
            first.put("k", "v"); // times out: Redis counts as unreachable from now on
            Cache<String, String> created = manager.createCache("created", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class));
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                created.put("k" + i, "v");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < TIMEOUT_MILLIS, "put " + i + " took " + millis + " ms while Redis was known unreachable");
            }
        }
    }

    /**
     * A listener that cannot subscribe to the cache's events while Redis is unreachable fails to
     * register and leaves nothing registered: the application can register it again once Redis is
     * back, and it then hears other instances' writes.
     */
    @Test
    void aListenerRegisteredDuringAnOutageFailsWholeAndCanBeRegisteredOnceRedisIsBack() throws Exception {
        Cache<String, String> cache = cache("fail", false);
        cache.put("k", "v");
        redis.kill();
        EventRecorder recorder = EventRecorder.unregistered(false);
        CacheEntryListenerConfiguration<String, String> listener = recorder.configuration();

        CacheException failure = assertThrows(CacheException.class, () -> cache.registerCacheEntryListener(listener));
        assertTrue(failure.getMessage().contains("Cache[c]"), failure.getMessage());
        assertFalse(registeredListeners(cache).iterator().hasNext(), "the failed listener is still in the configuration");
        assertThrows(CacheException.class, () -> cache.put("k", "unheard"));

        redis.restart();
        until(() -> succeeds(() -> cache.registerCacheEntryListener(listener)));
        assertEquals(1, registeredListeners(cache).spliterator().getExactSizeIfKnown());
        try (CacheManager other = new RedisCachingProvider().getCacheManager(URI.create(redis.uri()),
                getClass().getClassLoader(), new Properties())) {
            other.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class))
                    .put("k", "from another instance");
            String event = recorder.next(5); // CREATED or UPDATED: whether Redis kept "k" across its restart
            assertTrue(event.matches("(CREATED|UPDATED) k .*from another instance"), event);
        }
    }

    private static Iterable<CacheEntryListenerConfiguration<String, String>> registeredListeners(
            Cache<String, String> cache) {
        @SuppressWarnings("unchecked")
        CompleteConfiguration<String, String> configuration = cache.getConfiguration(CompleteConfiguration.class);
        return configuration.getCacheEntryListenerConfigurations();
    }

    @Test
    void degradeModeMissesFallsThroughToTheLoaderSkipsWritesAndWarnsOncePerOutage() {
        Cache<String, String> cache = cache("degrade", true);
        cache.put("k", "cached");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            redis.kill();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertEquals("loaded:k", cache.get("k"), "a read during the outage is a miss, loaded through");
                cache.put("w" + i, "skipped");
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2 * BOUND_MILLIS);
            }
            assertTrue(((RedisCacheManager) manager).skippedWrites() >= 5);
        } finally {
            System.setErr(originalErr);
        }
        String warnings = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, warnings.split("Redis is unreachable", -1).length - 1, warnings);

        redis.restart();
        until(() -> {
            cache.put("after", "written");
            return "written".equals(redis.call("GET", "jcache:c:after") == null ? null : "written");
        });
    }

    /** A write skipped while Redis is unreachable is no put in the statistics, whether by put or putAll. */
    @Test
    void skippedWritesAreNotCountedAsPuts() throws Exception {
        Cache<String, String> cache = cache("degrade", false);
        manager.enableStatistics("c", true);
        cache.put("before", "v");
        redis.kill();

        cache.put("k", "skipped"); // finds Redis unreachable
        cache.put("k2", "skipped");
        cache.putAll(Map.of("a", "skipped", "b", "skipped", "c", "skipped"));

        assertTrue(((RedisCacheManager) manager).skippedWrites() >= 4);
        Object puts = ManagementFactory.getPlatformMBeanServer().getAttribute(
                MBeans.name(MBeans.Kind.STATISTICS, manager.getURI(), "c"), "CachePuts");
        assertEquals(1L, puts, "only the put made while Redis was reachable");
    }

    @Test
    void aWriteSkippedDuringABlipLeavesNoStaleValueBehind() {
        Cache<String, String> cache = cache("degrade", false);
        cache.put("price", "old");
        redis.call("CLIENT", "PAUSE", "2000", "ALL");
        cache.put("price", "new"); // times out: skipped, remembered
        // Redis comes back with its data; the remembered key is deleted before the cache uses it
        until(() -> redis.call("EXISTS", "jcache:c:price").equals(0L));
        until(() -> succeeds(() -> cache.put("probe", "x")));
        assertNull(cache.get("price"), "the value the skipped write meant to replace must not be served");
    }



    /** Loads "loaded:" + key. */
    public static final class EchoLoader implements CacheLoader<String, String> {
        @Override
        public String load(String key) {
            return "loaded:" + key;
        }

        @Override
        public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
            java.util.Map<String, String> result = new java.util.HashMap<>();
            keys.forEach(k -> result.put(k, load(k)));
            return result;
        }
    }
}
