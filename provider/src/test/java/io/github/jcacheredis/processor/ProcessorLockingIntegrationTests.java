package io.github.jcacheredis.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.TestRedis;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-key turns entry processors take within one JVM, and processors that write their own key. */
class ProcessorLockingIntegrationTests {

    private static final Map<String, Cache<String, String>> CACHES = new ConcurrentHashMap<>();

    @AutoClose
    Instances instances = new Instances();
    private Cache<String, String> cache;
    private final String id = java.util.UUID.randomUUID().toString();

    @BeforeEach
    void open() {
        cache = instances.add(TestRedis.newManager(instances.namespace())).createCache("locks",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        CACHES.put(id, cache);
    }

    /**
     * Two keys whose hash codes fell into the same one of 256 shared lock stripes: a processor on
     * one that waits for a processor on the other used to wait forever.
     */
    @Test
    void aProcessorWaitingForAnotherKeysProcessorFinishes() {
        String first = "k0";
        String second = sameStripeAs(first);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String result = cache.invoke(first, new WaitForOtherKey(id, second));
            assertEquals("other done", result);
        });
        assertEquals("set by other", cache.get(second));
    }

    /**
     * Two processors, each invoking the other's key from inside while the other holds it: neither
     * waits for the other's key in this JVM (a thread that already runs a processor does not wait
     * for another key's turn), so both finish, each change applied once.
     */
    @Test
    void processorsInvokingEachOthersKeysFinish() {
        CyclicBarrier both = new CyclicBarrier(2);
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            CompletableFuture<Object> one = CompletableFuture.supplyAsync(() -> cache.invoke("k1", (entry, args) -> {
                await(both);
                return cache.invoke("k2", (other, more) -> append(other, "from k1"));
            }));
            CompletableFuture<Object> two = CompletableFuture.supplyAsync(() -> cache.invoke("k2", (entry, args) -> {
                await(both);
                return cache.invoke("k1", (other, more) -> append(other, "from k2"));
            }));
            one.join();
            two.join();
        });
        assertEquals("from k2", cache.get("k1"));
        assertEquals("from k1", cache.get("k2"));
    }

    private static Object append(MutableEntry<String, String> entry, String value) {
        entry.setValue(entry.exists() ? entry.getValue() + "," + value : value);
        return null;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aProcessorThatWritesItsOwnKeyEveryRunFailsClearlyInsteadOfLooping() {
        cache.put("k", "0");
        EntryProcessorException failure = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(EntryProcessorException.class, () -> cache.invoke("k", new WritesOwnKey(id))));
        assertTrue(failure.getMessage().contains("wrote that same key through the cache on every run"),
                failure.getMessage());
    }

    /**
     * Another instance changes the entry between every read and compare-and-set: the invocation
     * gives up after 1,000 conflicts, saying why, instead of running forever; what the other
     * instance wrote last stays.
     */
    @Test
    void anInvocationThatConflictsEveryTimeGivesUpAfterAThousandAttempts() {
        Cache<String, String> otherInstance = instances.add(TestRedis.newManager(instances.namespace())).createCache(
                "locks", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        CACHES.put(id + "/other", otherInstance);
        cache.put("k", "0");
        CacheException failure = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(CacheException.class, () -> cache.invoke("k", new RacedByOther(id))));
        assertTrue(failure.getMessage().contains("gave up after 1000 attempts"), failure.getMessage());
        assertEquals(1000, RacedByOther.RUNS.get(id).get(), "runs of the processor");
        assertEquals("other 1000", cache.get("k"), "the other instance's last write");
    }

    @Test
    void aProcessorWhoseLoaderPutsItsOwnKeyOnceEndsWithThatValue() {
        // the pattern of @Cacheable(sync = true) whose method ends in a @CachePut of the same key
        String result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cache.invoke("spring", new LoadsAndPuts(id)));
        assertEquals("put by loader", result);
        assertEquals("put by loader", cache.get("spring"));
    }

    /** A key whose lock stripe, under the former 256-way striping of String keys, equals {@code key}'s. */
    private static String sameStripeAs(String key) {
        int stripe = stripe(key);
        for (int i = 1; ; i++) {
            String candidate = "k" + i;
            if (stripe(candidate) == stripe) {
                return candidate;
            }
        }
    }

    private static int stripe(String key) {
        int hash = key.hashCode();
        hash ^= hash >>> 16;
        return hash & 255;
    }

    /** Runs a processor on another key, in another thread, and waits for it. */
    static final class WaitForOtherKey implements EntryProcessor<String, String, String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final String other;

        WaitForOtherKey(String id, String other) {
            this.id = id;
            this.other = other;
        }

        @Override
        public String process(MutableEntry<String, String> entry, Object... arguments) {
            Cache<String, String> cache = CACHES.get(id);
            try {
                return CompletableFuture.supplyAsync(() -> cache.invoke(other, (e, args) -> {
                    e.setValue("set by other");
                    return "other done";
                })).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new EntryProcessorException(e);
            }
        }
    }

    /** Puts its own key through the cache, then sets it: on every run. */
    static final class WritesOwnKey implements EntryProcessor<String, String, String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        WritesOwnKey(String id) {
            this.id = id;
        }

        @Override
        public String process(MutableEntry<String, String> entry, Object... arguments) {
            CACHES.get(id).put(entry.getKey(), "inner " + System.nanoTime());
            entry.setValue("outer");
            return "done";
        }
    }

    /** Sets the value, after another instance changed the entry: every compare-and-set conflicts. */
    static final class RacedByOther implements EntryProcessor<String, String, String>, Serializable {
        static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
        private static final long serialVersionUID = 1L;
        private final String id;

        RacedByOther(String id) {
            this.id = id;
            RUNS.put(id, new AtomicInteger());
        }

        @Override
        public String process(MutableEntry<String, String> entry, Object... arguments) {
            int run = RUNS.get(id).incrementAndGet();
            CACHES.get(id + "/other").put(entry.getKey(), "other " + run);
            entry.setValue("mine " + run);
            return "done";
        }
    }

    /** Returns the value if present; else "loads" it, which puts the key through the cache, and sets it. */
    static final class LoadsAndPuts implements EntryProcessor<String, String, String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        LoadsAndPuts(String id) {
            this.id = id;
        }

        @Override
        public String process(MutableEntry<String, String> entry, Object... arguments) {
            if (entry.exists()) {
                return entry.getValue();
            }
            CACHES.get(id).put(entry.getKey(), "put by loader");
            entry.setValue("loaded");
            return "loaded";
        }
    }
}
