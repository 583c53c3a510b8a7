package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.succeeds;
import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.SlowLog;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Redis that stalls longer than the timeout while a write is in flight (CLIENT PAUSE): the write
 * runs once the stall ends. Redisson would resend it after the timeout, so both copies would run;
 * every write must run at most once, and a call whose reply never came must say its outcome is
 * unknown instead of reporting a guessed one.
 */
class StalledWriteFaultTests {

    private static final long TIMEOUT_MILLIS = 300;
    private static final long STALL_MILLIS = 1200;

    private static RedisServer redis;
    private CacheManager writer;
    private CacheManager other;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        // the slow log keeps every command with its arguments: which scripts ran on which key
        SlowLog.keepEveryCommand(redis);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void twoInstances() {
        writer = manager(TIMEOUT_MILLIS);
        other = manager(5000);
    }

    @AfterEach
    void close() {
        writer.close();
        other.close();
    }

    private CacheManager manager(long timeoutMillis) {
        return manager(timeoutMillis, "true");
    }

    private CacheManager manager(long timeoutMillis, String batching) {
        return manager(timeoutMillis, batching, "auto");
    }

    private CacheManager manager(long timeoutMillis, String batching, String nearCacheInvalidation) {
        Properties properties = new Properties();
        properties.setProperty("timeout", String.valueOf(timeoutMillis));
        properties.setProperty("batching", batching);
        properties.setProperty("near-cache-invalidation", nearCacheInvalidation);
        properties.setProperty("namespace", "stall");
        return new RedisCachingProvider().getCacheManager(URI.create(redis.uri()), getClass().getClassLoader(), properties);
    }

    private static <V> MutableConfiguration<String, V> config(Class<V> type) {
        return new MutableConfiguration<String, V>().setTypes(String.class, type);
    }

    private static void stall() {
        redis.call("CLIENT", "PAUSE", String.valueOf(STALL_MILLIS), "ALL");
    }

    private static CacheException assertOutcomeUnknown(Runnable call) {
        CacheException failure = assertThrows(CacheException.class, call::run);
        assertTrue(failure.getMessage().contains("outcome") && failure.getMessage().contains("unknown"),
                failure.getMessage());
        return failure;
    }

    /**
     * Also for a key that contains the word NOSCRIPT: the timeout's message names the key, and a
     * script call that took it for the server not knowing the script loaded the script and ran the
     * increment again (seen with a stall that ends while the script loads).
     */
    @ParameterizedTest
    @CsvSource({"n, true, 1200", "NOSCRIPT, true, 450", "NOSCRIPT, false, 450"})
    void anIncrementThatTimesOutRunsOnceAndSaysItsOutcomeIsUnknown(String n, boolean batching, long stallMillis) {
        if (!batching) {
            writer.close();
            writer = manager(TIMEOUT_MILLIS, "false");
        }
        Cache<String, Long> counters = writer.createCache("counters-" + System.nanoTime(), config(Long.class));
        counters.put(n, 0L);
        counters.invoke(n, new Increment()); // the instance now remembers the value: the next increment writes at once
        counters.invoke(n, new Decrement());
        String key = "stall:" + counters.getName() + ":" + n;
        long before = scriptRunsOn(key);
        redis.call("CLIENT", "PAUSE", String.valueOf(stallMillis), "ALL");
        assertOutcomeUnknown(() -> counters.invoke(n, new Increment()));

        Cache<String, Long> seen = other.getCache(counters.getName(), String.class, Long.class) != null
                ? other.getCache(counters.getName(), String.class, Long.class)
                : other.createCache(counters.getName(), config(Long.class));
        until(() -> Long.valueOf(1).equals(seen.get(n)));
        assertEquals(1L, seen.get(n), "the increment ran exactly once");
        assertEquals(1, scriptRunsOn(key) - before, "the compare-and-set script was sent exactly once");
    }

    /**
     * Twelve increments during a stall: the first goes alone and times out, which shows Redis
     * unreachable; the others, queued behind it or coming after, are never sent. Each runs once or
     * not at all, and says which. (A batch of increments that reaches Redis in a stall: {@link
     * BatchingFaultTests#aBatchThatReachesRedisInAStallRunsItsWritesOnce}.)
     */
    @Test
    void incrementsDuringAStallEachRunOnceOrNotAtAllAndSayWhich() throws Exception {
        Cache<String, Long> counters = writer.createCache("batched-" + System.nanoTime(), config(Long.class));
        int callers = 12;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            counters.put("n" + i, 0L);
            counters.invoke("n" + i, new Increment()); // remembered: the next increment writes at once
            counters.invoke("n" + i, new Decrement());
            keys.add("stall:" + counters.getName() + ":n" + i);
        }
        List<Long> before = keys.stream().map(StalledWriteFaultTests::scriptRunsOn).toList();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<CacheException> failures = new ArrayList<>();
        try {
            stall();
            List<Future<CacheException>> outcomes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String key = "n" + i;
                outcomes.add(pool.submit(() -> assertThrows(CacheException.class, () -> counters.invoke(key, new Increment()))));
            }
            for (Future<CacheException> outcome : outcomes) {
                failures.add(outcome.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        Cache<String, Long> seen = other.createCache(counters.getName(), config(Long.class));
        List<Integer> unknown = IntStream.range(0, callers).filter(i -> isOutcomeUnknown(failures.get(i))).boxed().toList();
        assertTrue(!unknown.isEmpty(), "no increment was on its way when the stall began");
        until(() -> unknown.stream().allMatch(i -> Long.valueOf(1).equals(seen.get("n" + i))));
        for (int i = 0; i < callers; i++) {
            long runs = scriptRunsOn(keys.get(i)) - before.get(i);
            String message = failures.get(i).getMessage();
            if (unknown.contains(i)) {
                assertEquals(1L, seen.get("n" + i), "the increment of n" + i + " ran exactly once");
                assertEquals(1, runs, "the script for n" + i + " was sent exactly once");
            } else {
                assertTrue(message.contains("not sent") || message.contains("failing fast"), "n" + i + ": " + message);
                assertEquals(0L, seen.get("n" + i), "the increment of n" + i + " did not run");
                assertEquals(0, runs, "the script for n" + i + " was never sent");
            }
        }
    }

    /**
     * An invokeAll whose second key's write meets a stall: every key gets a result of its own, so
     * the caller learns which increments took effect, which may have, and which did not run. (The
     * call used to throw at the second key: the first key's increment had been applied without the
     * caller learning of it, so a caller retrying the call would increment it twice, and the third
     * never ran.) The keys after it fail at once while Redis is taken to be unreachable, so a large
     * key set does not wait a timeout per key.
     */
    @Test
    void anInvokeAllStalledHalfwayAnswersForEveryKey() {
        Cache<String, Long> counters = writer.createCache("all-" + System.nanoTime(), config(Long.class));
        List<String> keys = List.of("a", "b", "c");
        keys.forEach(key -> counters.put(key, 0L));

        Map<String, EntryProcessorResult<Long>> results = counters.invokeAll(new LinkedHashSet<>(keys),
                new StallingIncrement("b"));

        assertEquals(new LinkedHashSet<>(keys), results.keySet(), "a result for every key");
        assertEquals(1L, results.get("a").get(), "the increment before the stall");
        EntryProcessorException unknown = assertThrows(EntryProcessorException.class, () -> results.get("b").get());
        assertTrue(unknown.getCause() instanceof CacheException && isOutcomeUnknown((CacheException) unknown.getCause()),
                String.valueOf(unknown.getCause()));
        assertTrue(unknown.getMessage().contains(counters.getName()) && unknown.getMessage().contains("b"),
                "names the cache and the key: " + unknown.getMessage());

        Cache<String, Long> seen = other.createCache(counters.getName(), config(Long.class));
        until(() -> Long.valueOf(1).equals(seen.get("b"))); // the stalled write runs once the stall ends
        assertEquals(1L, seen.get("a"));
        // the stalled write showed Redis unreachable: the key after it fails at once, unsent
        EntryProcessorException unsent = assertThrows(EntryProcessorException.class, () -> results.get("c").get());
        assertTrue(unsent.getCause().getMessage().contains("failing fast"), unsent.getCause().getMessage());
        assertEquals(0L, seen.get("c"), "the increment of the third key did not run");
    }

    private static boolean isOutcomeUnknown(CacheException failure) {
        return failure.getMessage().contains("outcome") && failure.getMessage().contains("unknown");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"remove", "getAndPut", "replace", "getAndRemove", "putIfAbsent"})
    void aConditionalWriteThatTimesOutNeverReportsAGuessedOutcome(String operation) {
        Cache<String, String> cache = writer.createCache(operation + "-" + System.nanoTime(), config(String.class));
        cache.put("warm", "w"); // the first write waits for the cache's first read of who listens
        if (!operation.equals("putIfAbsent")) {
            cache.put("k", "1");
        }
        stall();
        assertOutcomeUnknown(() -> {
            switch (operation) {
                case "remove" -> cache.remove("k");
                case "getAndPut" -> cache.getAndPut("k", "2");
                case "replace" -> cache.replace("k", "1", "2");
                case "getAndRemove" -> cache.getAndRemove("k");
                case "putIfAbsent" -> cache.putIfAbsent("k", "2");
                default -> throw new IllegalArgumentException(operation);
            }
        });
        // the write ran once the stall ended, or not at all (a script Redis did not know yet): never twice
        until(() -> succeeds(() -> cache.containsKey("probe")));
        String now = cache.get("k");
        // a putIfAbsent was seen not to have run after the stall too (sent alone as SETNX, its
        // outcome reported unknown); which of the two it is, the caller was not told
        assertTrue(now == null ? operation.contains("emove") || operation.equals("putIfAbsent")
                : now.equals("1") || now.equals("2"), String.valueOf(now));
    }

    /** putAll and removeAll are sent once too: a bulk write whose reply never came runs once when the stall ends. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"putAll", "removeAll"})
    void aBulkWriteThatTimesOutIsSentOnceAndRunsOnce(String operation) {
        String name = operation + "-" + System.nanoTime();
        Cache<String, String> cache = writer.createCache(name, config(String.class));
        // the cache's first write waits for its first read of who listens; until then writes go as
        // scripts (publishing everything), whose inner commands the slow log counts as well
        cache.put("warm", "w");
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            values.put("k" + i, "v" + i);
        }
        if (operation.equals("removeAll")) {
            cache.putAll(values);
        }
        long before = commandsNaming("stall:" + name + ":k0");
        stall();
        CacheException failure = assertThrows(CacheException.class, () -> {
            if (operation.equals("putAll")) {
                cache.putAll(values);
            } else {
                cache.removeAll(values.keySet());
            }
        });
        until(() -> succeeds(() -> cache.containsKey("probe")));
        assertEquals(1, commandsNaming("stall:" + name + ":k0") - before,
                "commands naming k0 that Redis ran (" + failure.getMessage() + ")");
        for (Map.Entry<String, String> entry : values.entrySet()) {
            assertEquals(operation.equals("putAll") ? entry.getValue() : null, cache.get(entry.getKey()),
                    "what the one run left");
        }
    }

    @Test
    void aPutThatTimesOutIsSeenOnceByAnotherInstancesListener() throws InterruptedException {
        String name = "events-" + System.nanoTime();
        Cache<String, String> cache = writer.createCache(name, config(String.class));
        Cache<String, String> onOther = other.createCache(name, config(String.class));
        EventRecorder remote = EventRecorder.register(onOther, false);

        stall();
        CacheException failure = assertThrows(CacheException.class, () -> cache.put("k", "v1"));
        until(() -> succeeds(() -> cache.put("marker", "m")));

        assertEquals(List.of("CREATED k null->v1", "CREATED marker null->m"), remote.until("CREATED marker null->m", 10),
                "one CREATED for the one put, no UPDATED from a second copy");
        assertTrue(failure.getMessage().contains("outcome of Redis mutate is unknown"), failure.getMessage());
    }

    /**
     * Kept in step by tracking, Redis itself invalidates the key once the write runs; with published
     * invalidations only the writer's own drop of the key keeps the old value out.
     */
    @ParameterizedTest(name = "near cache invalidation: {0}")
    @ValueSource(strings = {"tracking", "published"})
    void aWriteThatTimesOutLeavesNoStaleValueInTheWritersNearCache(String invalidation) {
        if (invalidation.equals("published")) {
            writer.close();
            writer = manager(TIMEOUT_MILLIS, "true", "published");
        }
        String name = "near-" + System.nanoTime();
        Cache<String, String> cache = writer.createCache(name,
                new RedisCacheConfiguration<String, String>().nearCache(100, null).setTypes(String.class, String.class));
        cache.put("k", "v1");
        LocalTier.awaitServedLocally(redis, cache, "k", "v1");

        stall();
        assertThrows(CacheException.class, () -> cache.put("k", "v2"));

        until(() -> "v2".equals(redisGet("stall:" + name + ":k")));
        until(() -> succeeds(() -> cache.get("k")));
        assertEquals("v2", cache.get("k"), "the local tier must not keep the value the timed-out write replaced");
    }

    private static Object redisGet(String key) {
        Object value = redis.call("GET", key);
        return value == null ? null : value.toString().replace("\"", "");
    }

    /** How many commands that name {@code key} Redis ran, from the slow log. */
    private static long commandsNaming(String key) {
        return SlowLog.entries(redis).stream().filter(entry -> entry.args().contains(key)).count();
    }

    /**
     * How many scripts ran on {@code key}, from the slow log. (Counting every EVALSHA the server ran
     * would count the registry heartbeats of the instances too.)
     */
    private static long scriptRunsOn(String key) {
        return SlowLog.entries(redis).stream().filter(entry -> entry.is("evalsha") && entry.args().contains(key)).count();
    }

    /** Subtracts one. */
    static final class Decrement implements EntryProcessor<String, Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            entry.setValue(entry.getValue() - 1);
            return entry.getValue();
        }
    }

    /** Adds one, and stalls Redis the first time it runs on {@code stallAt}, before its write. */
    static final class StallingIncrement implements EntryProcessor<String, Long, Long> {
        private final String stallAt;
        private final AtomicBoolean stalled = new AtomicBoolean();

        StallingIncrement(String stallAt) {
            this.stallAt = stallAt;
        }

        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            if (entry.getKey().equals(stallAt) && stalled.compareAndSet(false, true)) {
                stall();
            }
            entry.setValue(entry.getValue() + 1);
            return entry.getValue();
        }
    }

    /** Adds one; counts its runs. */
    static final class Increment implements EntryProcessor<String, Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger RUNS = new AtomicInteger();

        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            RUNS.incrementAndGet();
            long next = (entry.exists() ? entry.getValue() : 0L) + 1;
            entry.setValue(next);
            return next;
        }
    }
}
