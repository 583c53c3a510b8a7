package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Degrade mode with real outages: instance A (failure-mode=degrade, 300 ms timeout) reaches Redis
 * through a proxy that is frozen to make Redis unreachable, B reaches it directly. Writes A skips
 * are undone once Redis is back, however they were made (a removeAll() too), and a recovery that
 * must clear a cache (more than 10,000 writes to it were skipped) ends although A goes on using
 * that cache while the clear runs.
 */
class DegradeOverflowFaultTests {

    /** Unrelated keys the recovery's clear walks past with SCAN: it runs for a while. */
    private static final String UNRELATED_KEYS = "500000";
    /** How long A may take to leave degrade mode once Redis is back, clear included. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    @AutoClose
    final Instances instances = new Instances();

    /**
     * A removeAll() that A makes while Redis is unreachable cannot see the entries it would remove:
     * it is carried out as a clear once Redis is back, so no instance is served a value it removed.
     */
    @Test
    void removeAllSkippedWhileDegradedIsCarriedOutOnceRedisIsBack() {
        try (RedisServer redis = RedisServer.start(); TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            RedisCacheManager a = degrading(proxy);
            Cache<String, String> atA = a.createCache("removed", config());
            Cache<String, String> atB = instances.open(URI.create(redis.uri()), Map.of()).createCache("removed", config());
            atB.put("k", "old");
            proxy.freeze();
            atA.get("probe"); // times out: A acts on an empty cache from now on
            assertTrue(a.unreachableSince().isPresent());
            atA.removeAll();
            proxy.thaw();

            Await.until("A left degrade mode", RECOVERY, () -> a.unreachableSince().isEmpty());
            assertNull(atB.get("k"), "B is served the value A's removeAll() removed");
            assertNull(atA.get("k"), "A is served the value its removeAll() removed");
        }
    }

    /**
     * A keeps writing a cache whose skipped writes overflowed into a clear while the recovery clears
     * it: A leaves degrade mode all the same, and none of the values its writes skipped during the
     * clear meant to replace survives (B wrote each just before, possibly behind the clear's scan).
     */
    @Test
    void recoveryOfAnOverflowedCacheEndsWhileTheCacheIsWritten() throws Exception {
        try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes");
             TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            redis.call("DEBUG", "POPULATE", UNRELATED_KEYS, "unrelated", "8");
            RedisCacheManager a = degrading(proxy);
            Cache<String, String> atA = a.createCache("busy", config());
            Cache<String, String> atB = instances.open(URI.create(redis.uri()), Map.of()).createCache("busy", config());
            overflow(proxy, i -> atA.put("k" + i, "new"));

            List<String> stale = new ArrayList<>();
            int written = whileRecovering(a, i -> {
                atB.put("w" + i, "old");
                atA.put("w" + i, "new"); // skipped until A is back
            });
            for (int i = 0; i < written; i++) {
                if ("old".equals(atB.get("w" + i))) {
                    stale.add("w" + i);
                }
            }
            assertEquals(List.of(), stale, "values that writes of A skipped during the recovery meant to replace");
        }
    }

    /**
     * The same with reads only: a read-through cache's loads while degraded are skipped writes,
     * and reading the cache while its clear runs does not keep A degraded either.
     */
    @Test
    void recoveryOfAnOverflowedReadThroughCacheEndsWhileItIsRead() throws Exception {
        try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes");
             TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            redis.call("DEBUG", "POPULATE", UNRELATED_KEYS, "unrelated", "8");
            RedisCacheManager a = degrading(proxy);
            Cache<String, String> atA = a.createCache("read", config().setReadThrough(true)
                    .setCacheLoaderFactory(FactoryBuilder.factoryOf(EchoLoader.class)));
            overflow(proxy, i -> atA.get("k" + i)); // a miss that loads: a skipped putIfAbsent

            whileRecovering(a, i -> assertEquals("r" + i, atA.get("r" + i)));
        }
    }

    /**
     * B listens for EXPIRED and writes entries with a TTL while A's recovery clears the cache: each
     * entry the clear leaves (written after the clear passed its key) keeps its copy and due time,
     * and is reported when it expires.
     */
    @Test
    void entriesWrittenElsewhereWhileTheRecoveryClearsAreReportedWhenTheyExpire() throws Exception {
        try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes");
             TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            redis.call("DEBUG", "POPULATE", UNRELATED_KEYS, "unrelated", "8");
            MutableConfiguration<String, String> expiring = config().setExpiryPolicyFactory(
                    CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 3_000)));
            RedisCacheManager a = degrading(proxy);
            Cache<String, String> atA = a.createCache("expiring", expiring);
            Cache<String, String> atB = instances.open(URI.create(redis.uri()), Map.of()).createCache("expiring", expiring);
            EventRecorder events = EventRecorder.register(atB, false);
            atB.put("seed", "v"); // the index of due times exists when the recovery clears
            overflow(proxy, i -> atA.put("k" + i, "v"));
            List<String> written = new ArrayList<>();
            for (int i = 0; a.unreachableSince().isPresent(); i++) {
                atB.put("late" + i, "v");
                written.add("late" + i);
            }
            Set<String> kept = new TreeSet<>();
            for (String key : written) {
                if (atB.containsKey(key)) {
                    kept.add(key);
                }
            }
            assertTrue(!kept.isEmpty(), "precondition: an entry B wrote during the recovery outlived its clear");
            Set<String> expired = new TreeSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (!expired.containsAll(kept) && System.nanoTime() < deadline) {
                try {
                    expired.add(events.next("EXPIRED", 1).split(" ")[1]);
                } catch (AssertionError noneYet) {
                    // keep waiting until the deadline
                }
            }
            Set<String> missing = new TreeSet<>(kept);
            missing.removeAll(expired);
            assertTrue(missing.isEmpty(), missing.size() + " of the " + kept.size()
                    + " entries written during the recovery and kept by it were never reported expired, among them "
                    + missing.stream().limit(5).toList());
        }
    }

    /** Makes Redis unreachable for A while {@code write} skips 10,001 writes to one cache: one more than recovery keeps keys for. */
    private static void overflow(TcpProxy proxy, IntConsumer write) {
        proxy.freeze();
        for (int i = 0; i <= 10_000; i++) {
            write.accept(i); // the first times out, the rest are skipped
        }
        proxy.thaw();
    }

    /**
     * Runs {@code use} for 0, 1, 2, ... about ten times a second on another thread until A has left
     * degrade mode; fails when it has not within {@link #RECOVERY}, or when no write of A was
     * skipped meanwhile (the recovery was over before it began). Returns how many it ran.
     */
    private static int whileRecovering(RedisCacheManager a, IntConsumer use) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        int[] count = {0};
        Thread user = new Thread(() -> {
            try {
                while (!stop.get()) {
                    use.accept(count[0]++);
                    Thread.sleep(100); // pacing, not waiting for anything
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        long skippedBefore = a.skippedWrites();
        user.start();
        try {
            Await.until("A left degrade mode while it uses the cache", RECOVERY,
                    () -> a.unreachableSince().isEmpty() || !failures.isEmpty());
        } finally {
            stop.set(true);
            user.join();
        }
        assertEquals(List.of(), failures);
        assertTrue(a.skippedWrites() > skippedBefore, "no write was skipped while the recovery ran");
        return count[0];
    }

    private RedisCacheManager degrading(TcpProxy proxy) {
        return instances.open(URI.create(proxy.uri()), Map.of("failure-mode", "degrade", "timeout", "300"))
                .unwrap(RedisCacheManager.class);
    }

    private static MutableConfiguration<String, String> config() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    /** Loads the key itself. */
    public static final class EchoLoader implements CacheLoader<String, String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String load(String key) {
            return key;
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            Map<String, String> all = new HashMap<>();
            keys.forEach(key -> all.put(key, key));
            return all;
        }
    }
}
