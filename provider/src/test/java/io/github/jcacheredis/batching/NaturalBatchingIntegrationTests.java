package io.github.jcacheredis.batching;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.store.BatchSizes;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Natural batching against a real server. Calls are made to queue for certain by pausing the
 * server (CLIENT PAUSE): the first call waits in Redis, and every call made meanwhile waits for it
 * in the client, then goes in the next batch.
 */
class NaturalBatchingIntegrationTests {

    private static final Duration PAUSE = Duration.ofMillis(800);

    private static RedisServer redis;
    private final List<CacheManager> managers = new ArrayList<>();
    private ExecutorService threads;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void pool() {
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        managers.forEach(CacheManager::close);
    }

    private RedisCacheManager manager(String... settings) {
        Properties properties = new Properties();
        properties.setProperty("namespace", "batching");
        properties.setProperty("timeout", "3000");
        for (int i = 0; i < settings.length; i += 2) {
            properties.setProperty(settings[i], settings[i + 1]);
        }
        CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create(redis.uri()),
                getClass().getClassLoader(), properties);
        managers.add(manager);
        return manager.unwrap(RedisCacheManager.class);
    }

    private static <V> MutableConfiguration<String, V> config(Class<V> type) {
        return new MutableConfiguration<String, V>().setTypes(String.class, type);
    }

    private static long calls(String command) {
        return redis.commandCalls(command);
    }

    /**
     * Runs {@code calls} on threads of their own while the server is paused, so that all but the
     * first queue behind it; returns their outcomes in order (a value, or the exception).
     */
    private List<Object> whilePaused(List<Callable<Object>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.size());
        redis.pauseClients(PAUSE, RedisServer.PauseMode.ALL);
        List<Future<Object>> outcomes = new ArrayList<>();
        for (Callable<Object> call : calls) {
            outcomes.add(threads.submit(() -> {
                ready.countDown();
                try {
                    return call.call();
                } catch (CacheException e) {
                    return e;
                }
            }));
        }
        assertTrue(ready.await(5, TimeUnit.SECONDS));
        List<Object> results = new ArrayList<>();
        for (Future<Object> outcome : outcomes) {
            results.add(outcome.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    /** The largest size class that some batch reached ({@link BatchSizes.Snapshot#label}), or -1. */
    private static int largestClass(BatchSizes.Snapshot sizes) {
        long[] counts = sizes.counts();
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] > 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void callsOfEveryKindThatComeWhileOneIsOnItsWayGoTogetherAndAFailingOneFailsAlone() throws Exception {
        RedisCacheManager manager = manager();
        Cache<String, String> plain = manager.createCache("plain", config(String.class));
        Cache<String, String> accessed = manager.createCache("accessed", config(String.class)
                .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 10))));
        Cache<String, Long> counters = manager.createCache("counters", config(Long.class));
        for (int i = 0; i < 6; i++) {
            plain.put("k" + i, "v" + i);
            accessed.put("a" + i, "x" + i);
        }
        counters.put("n", 0L);
        counters.invoke("n", new Increment());
        redis.call("HSET", "batching:plain:bad", "field", "not a string");
        redis.call("CONFIG", "RESETSTAT");
        BatchSizes.Snapshot before = manager.batchSizes();

        List<Object> results = whilePaused(List.of(
                () -> plain.get("k0"),
                () -> plain.get("k1"),
                () -> accessed.get("a1"),
                () -> accessed.get("a2"),
                () -> counters.invoke("n", new Increment()),
                () -> {
                    plain.put("k2", "new");
                    return "put";
                },
                () -> plain.putIfAbsent("fresh", "f"),
                () -> plain.remove("k3"),
                () -> plain.get("bad"),
                () -> plain.getAndReplace("k4", "replaced"),
                () -> plain.get("k5"),
                () -> plain.containsKey("k1")));

        BatchSizes.Snapshot batches = manager.batchSizes().since(before);
        assertAll(
                () -> assertEquals(List.of("v0", "v1", "x1", "x2", 2L, "put", true, true), results.subList(0, 8)),
                () -> assertTrue(results.get(8) instanceof CacheException failure
                        && failure.getMessage().contains("plain"), "the call on a key of the wrong type: " + results.get(8)),
                () -> assertEquals(List.of("v4", "v5", true), results.subList(9, 12)),
                () -> assertEquals("new", plain.get("k2")),
                () -> assertNull(plain.get("k3")),
                () -> assertEquals(2L, counters.get("n")),
                () -> assertTrue(largestClass(batches) >= 3, "no batch of 8 or more: " + batches.describe()),
                () -> assertEquals(2, calls("getex"), "the access-expiry reads went as GETEX"),
                () -> assertTrue(calls("evalsha") >= 1, "the entry processor ran its script"));
    }

    @Test
    void plainReadsThatQueueTogetherGoAsOneMget() throws Exception {
        RedisCacheManager manager = manager();
        Cache<String, String> cache = manager.createCache("reads", config(String.class));
        List<Callable<Object>> reads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            cache.put("k" + i, "v" + i);
            String key = "k" + i;
            reads.add(() -> cache.get(key));
        }
        reads.add(() -> cache.get("absent"));
        redis.call("CONFIG", "RESETSTAT");

        List<Object> values = whilePaused(reads);

        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add("v" + i);
        }
        expected.add(null);
        assertEquals(expected, values);
        // the first batch goes as soon as a read finds the lane idle (alone, or with the reads that
        // came in the same instant); the rest queue behind it and go as one MGET
        assertTrue(calls("mget") >= 1, "no MGET");
        assertEquals(2, calls("mget") + calls("get"), "13 reads went in two commands");
    }

    @Test
    void putsThatQueueTogetherGoAsOneScriptAndKeepEachTtlRule() throws Exception {
        RedisCacheManager manager = manager();
        Cache<String, String> eternal = manager.createCache("eternal-puts", config(String.class));
        Cache<String, String> modified = manager.createCache("modified-puts", config(String.class)
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 1))));
        eternal.put("k1", "old");
        redis.call("PEXPIRE", "batching:eternal-puts:k1", "600000"); // a TTL set outside the cache
        for (Cache<String, String> cache : List.of(eternal, modified)) {
            redis.call("CONFIG", "RESETSTAT");
            List<Callable<Object>> puts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String key = "k" + i;
                puts.add(() -> {
                    cache.put(key, "v" + key);
                    return "put";
                });
            }
            assertEquals(java.util.Collections.nCopies(12, "put"), whilePaused(puts));
            // commandstats counts the SETs a script runs too: count the script calls
            long scripts = calls("evalsha");
            assertTrue(scripts == 1 || scripts == 2, "the queued puts went as one script call: " + scripts);
            assertEquals(12, calls("set") + calls("psetex"), "each put set its key once (a put alone with a TTL is a PSETEX)");
            for (int i = 0; i < 12; i++) {
                assertEquals("vk" + i, cache.get("k" + i));
            }
        }
        long keptTtl = (Long) redis.call("PTTL", "batching:eternal-puts:k1");
        assertTrue(keptTtl > 500_000, "an update under the eternal policy keeps the entry's TTL: " + keptTtl);
        assertEquals(-1L, redis.call("PTTL", "batching:eternal-puts:k2"), "a new entry under the eternal policy has no TTL");
        long modifiedTtl = (Long) redis.call("PTTL", "batching:modified-puts:k5");
        assertTrue(modifiedTtl > 0 && modifiedTtl <= 60_000, "the modified policy's TTL: " + modifiedTtl);
    }

    @Test
    void readsAndPutsThatQueueTogetherGoAsOneScriptCallInTheirOrder() throws Exception {
        RedisCacheManager manager = manager();
        Cache<String, String> cache = manager.createCache("mixed-simple", config(String.class));
        for (int i = 0; i < 6; i++) {
            cache.put("r" + i, "old" + i);
        }
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = "r" + i;
            calls.add(() -> cache.get(key));
            String written = "w" + i;
            calls.add(() -> {
                cache.put(written, "new");
                return "put";
            });
        }
        redis.call("CONFIG", "RESETSTAT");

        List<Object> results = whilePaused(calls);

        for (int i = 0; i < 6; i++) {
            assertEquals("old" + i, results.get(2 * i));
            assertEquals("put", results.get(2 * i + 1));
            assertEquals("new", cache.get("w" + i));
        }
        long scripts = calls("evalsha");
        assertTrue(scripts == 1 || scripts == 2, "the queued reads and puts went as one script call: " + scripts);
        assertEquals(0, calls("mget"), "a batch with puts in it is not an MGET");
    }

    @Test
    void accessExpiryReadsThatQueueTogetherGoAsOneScriptAndAKeyOfAnotherTypeFailsNoOtherRead() throws Exception {
        RedisCacheManager manager = manager();
        Cache<String, String> accessed = manager.createCache("accessed-reads", config(String.class)
                .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 10))));
        List<Callable<Object>> reads = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            accessed.put("a" + i, "x" + i);
            redis.call("PEXPIRE", "batching:accessed-reads:a" + i, "5000");
            String key = "a" + i;
            reads.add(() -> accessed.get(key));
        }
        redis.call("HSET", "batching:accessed-reads:bad", "field", "not a string");
        reads.add(() -> accessed.get("bad"));
        redis.call("CONFIG", "RESETSTAT");

        List<Object> values = whilePaused(reads);

        for (int i = 0; i < 11; i++) {
            assertEquals("x" + i, values.get(i));
            long ttl = (Long) redis.call("PTTL", "batching:accessed-reads:a" + i);
            assertTrue(ttl > 500_000, "the read set the access TTL of a" + i + ": " + ttl);
        }
        Object bad = values.get(11);
        assertTrue(bad == null || bad instanceof CacheException, "the read of a key of another type: " + bad);
        long scripts = calls("evalsha");
        assertTrue(scripts == 1 || scripts == 2, "the queued reads went as one script call: " + scripts);
    }

    /**
     * A read right after this instance set the entry's access TTL leaves it as it is (a plain GET,
     * which joins an MGET, instead of a GETEX, which Redis replicates as a write): the entry expires
     * at most the slack (a hundredth of the TTL, at most 1 s) early.
     */
    @Test
    void anAccessExpiryReadRightAfterThisInstanceSetTheTtlIsAPlainRead() {
        RedisCacheManager manager = manager();
        Cache<String, String> accessed = manager.createCache("accessed-again", config(String.class)
                .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 10))));
        accessed.put("k", "v");
        redis.call("PEXPIRE", "batching:accessed-again:k", "300000");
        redis.call("CONFIG", "RESETSTAT");

        long first = System.nanoTime();
        assertEquals("v", accessed.get("k"));
        assertEquals("v", accessed.get("k"));
        assumeTrue(System.nanoTime() - first < TimeUnit.MILLISECONDS.toNanos(900), "the reads were not within the slack");

        assertEquals(1, calls("getex"), "the first read set the access TTL");
        assertEquals(1, calls("get"), "the second read left it");
        long ttl = (Long) redis.call("PTTL", "batching:accessed-again:k");
        assertTrue(ttl > 600_000 - 2_000, "the TTL is the one the first read set: " + ttl);
    }

    @Test
    void batchingOffSendsEveryCallAloneAndBatchMaxCapsTheBatches() throws Exception {
        RedisCacheManager off = manager("batching", "false");
        RedisCacheManager capped = manager("batch-max", "2", "namespace", "capped");
        Cache<String, String> alone = off.createCache("alone", config(String.class));
        Cache<String, String> pairs = capped.createCache("pairs", config(String.class));
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String key = "k" + i;
            calls.add(() -> {
                alone.put(key, key);
                return alone.get(key);
            });
            calls.add(() -> {
                pairs.put(key, key);
                return pairs.get(key);
            });
        }
        List<Object> values = whilePaused(calls);

        for (int i = 0; i < values.size(); i++) {
            assertEquals("k" + (i / 2), values.get(i));
        }
        assertEquals(0, off.batchSizes().batches(), "batching=false sends no batch at all");
        BatchSizes.Snapshot sizes = capped.batchSizes();
        assertEquals(1, largestClass(sizes), "batch-max=2: batches of 2 and none larger: " + sizes.describe());
    }

    @Test
    void eachThreadSeesItsOwnWritesAndConcurrentIncrementsAllCountOnce() throws Exception {
        RedisCacheManager manager = manager();
        Cache<String, Long> cache = manager.createCache("order", config(Long.class));
        cache.put("shared", 0L);
        int threadCount = 16;
        int rounds = 150;
        List<Future<List<String>>> workers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            String own = "own-" + t;
            workers.add(threads.submit(() -> {
                List<String> wrong = new ArrayList<>();
                for (long i = 0; i < rounds; i++) {
                    cache.put(own, i);
                    Long read = cache.get(own);
                    if (read == null || read != i) {
                        wrong.add(own + ": put " + i + ", read " + read);
                    }
                    cache.invoke("shared", new Increment());
                }
                return wrong;
            }));
        }
        List<String> wrong = new ArrayList<>();
        for (Future<List<String>> worker : workers) {
            wrong.addAll(worker.get(2, TimeUnit.MINUTES));
        }
        assertEquals(List.of(), wrong, "reads that did not see the same thread's put before them");
        assertEquals(threadCount * rounds, cache.get("shared"), "increments lost or run twice");
        BatchSizes.Snapshot sizes = manager.batchSizes();
        assertTrue(sizes.commands() > sizes.batches(), "calls never shared a round trip: " + sizes.describe());
    }

    @Test
    void listenersLoadersAndEntryProcessorsRunOnTheCallersThreadsNotTheClientsEventLoop() throws Exception {
        RedisCacheManager manager = manager();
        Set<String> userCodeThreads = ConcurrentHashMap.newKeySet();
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        ThreadRecorder.threads = userCodeThreads;
        ProcessorThreads.threads = ConcurrentHashMap.newKeySet();
        MutableConfiguration<String, String> config = config(String.class)
                .setReadThrough(true)
                .setCacheLoaderFactory(FactoryBuilder.factoryOf(RecordingLoader.class))
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(RecordingListener.class), null, false, true));
        Cache<String, String> cache = manager.createCache("user-code", config);
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "k" + i;
            calls.add(() -> {
                seen.put(Thread.currentThread().getName(), true);
                String loaded = cache.get(key);
                cache.put(key + "-put", "v");
                return cache.invoke(key, new Describe()) + loaded;
            });
        }
        List<Object> results = whilePaused(calls);

        for (int i = 0; i < 12; i++) {
            assertEquals("present:loaded k" + i + "loaded k" + i, results.get(i));
        }
        assertFalse(userCodeThreads.isEmpty());
        assertTrue(userCodeThreads.stream().noneMatch(name -> name.startsWith("redisson-netty")),
                "user code ran on the client's event loop: " + userCodeThreads);
        assertTrue(seen.keySet().containsAll(ProcessorThreads.threads),
                "loaders and entry processors ran on threads other than the callers': " + ProcessorThreads.threads);
        assertTrue(largestClass(manager.batchSizes()) >= 3, manager.batchSizes().describe());
    }

    /** Where loaders and entry processors ran (listeners may run on the manager's listener thread). */
    static final class ProcessorThreads {
        static volatile Set<String> threads;

        static void record() {
            threads.add(Thread.currentThread().getName());
            ThreadRecorder.record();
        }
    }

    /** Where user code ran. */
    static final class ThreadRecorder {
        static volatile Set<String> threads;

        static void record() {
            threads.add(Thread.currentThread().getName());
        }
    }

    public static final class RecordingLoader implements CacheLoader<String, String> {
        @Override
        public String load(String key) {
            ProcessorThreads.record();
            return "loaded " + key;
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class RecordingListener implements CacheEntryCreatedListener<String, String>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            ThreadRecorder.record();
        }
    }

    static final class Describe implements EntryProcessor<String, String, String>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String process(MutableEntry<String, String> entry, Object... arguments) {
            ProcessorThreads.record();
            return entry.exists() ? "present:" + entry.getValue() : "absent";
        }
    }

    static final class Increment implements EntryProcessor<String, Long, Long>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            long next = entry.getValue() + 1;
            entry.setValue(next);
            return next;
        }
    }
}
