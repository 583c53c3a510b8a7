package io.github.jcacheredis.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Kills the redis-server while eight threads put and get, restarts it, and checks that no call
 * hung past the timeout, that every thread recovers without a new manager, and that no write
 * acknowledged after the restart is lost.
 */
class OutageUnderLoadIntegrationTests {

    private static final long TIMEOUT_MILLIS = 300;
    private static final long BOUND_MILLIS = 2 * TIMEOUT_MILLIS + 100 + 900;
    private static final int THREADS = 8;

    @Test
    void callsFailWithinTheTimeoutDuringAnOutageAndRecoverWithoutLosingAcknowledgedWrites() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Properties properties = new Properties();
            properties.setProperty("timeout", String.valueOf(TIMEOUT_MILLIS));
            CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create(redis.uri()),
                    getClass().getClassLoader(), properties);
            Cache<String, Long> cache = manager.createCache("load",
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));

            AtomicBoolean restarted = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong slowest = new AtomicLong();
            Map<String, Long> acknowledgedAfterRestart = new ConcurrentHashMap<>();
            Map<String, Boolean> lastWriteSucceeded = new ConcurrentHashMap<>();
            CountDownLatch recovered = new CountDownLatch(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    int successesAfterRestart = 0;
                    long value = 0;
                    while (!stop.get()) {
                        String key = "t" + thread + "-" + ThreadLocalRandom.current().nextInt(20);
                        boolean write = ThreadLocalRandom.current().nextBoolean();
                        long start = System.nanoTime();
                        try {
                            if (write) {
                                cache.put(key, ++value);
                                lastWriteSucceeded.put(key, true);
                                if (restarted.get()) {
                                    acknowledgedAfterRestart.put(key, value);
                                }
                            } else {
                                cache.get(key);
                            }
                            if (restarted.get() && ++successesAfterRestart == 50) {
                                recovered.countDown();
                            }
                        } catch (CacheException expectedDuringOutage) {
                            if (write) {
                                lastWriteSucceeded.put(key, false);
                            }
                        } finally {
                            slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(300); // load before the outage
            redis.kill();
            Thread.sleep(1_000); // load during the outage
            redis.restart();
            restarted.set(true);
            assertTrue(recovered.await(30, TimeUnit.SECONDS), "threads did not recover after Redis came back");
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertTrue(slowest.get() < BOUND_MILLIS, "a call took " + slowest.get() + " ms");
            int checked = 0;
            for (Map.Entry<String, Long> write : acknowledgedAfterRestart.entrySet()) {
                if (lastWriteSucceeded.get(write.getKey())) {
                    assertEquals(write.getValue(), cache.get(write.getKey()), write.getKey());
                    checked++;
                }
            }
            assertTrue(checked > 0, "no write was acknowledged after the restart");
            manager.close();
        }
    }
}
