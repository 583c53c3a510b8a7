package io.github.jcacheredis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.testsupport.Await;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules the operations decide, on the in-memory store with a clock the test moves: conditional
 * writes and what they count, entry processor states and the compare-and-set retry, which expiry
 * policy calls each operation makes, and the events of each write in order. The same operations
 * run on Redis; these tests tell a rule bug from a Redis one.
 */
class JCacheRulesUnitTests {

    private final InMemoryCaches caches = new InMemoryCaches();
    private final CacheManager manager = caches.manager();

    @AfterEach
    void close() {
        manager.close();
    }

    private Cache<String, Integer> cache(MutableConfiguration<String, Integer> configuration) {
        return manager.createCache("rules", configuration.setTypes(String.class, Integer.class).setStatisticsEnabled(true));
    }

    private static CacheStatisticsMXBean statistics(Cache<?, ?> cache) {
        return ((RedisCache<?, ?>) cache).statistics();
    }

    @Test
    void conditionalWritesApplyOnlyWhenTheirConditionHoldsAndCountWhatTheSpecificationSays() {
        Cache<String, Integer> cache = cache(new MutableConfiguration<>());
        assertFalse(cache.replace("k", 1), "replace of an absent entry");
        assertTrue(cache.putIfAbsent("k", 1));
        assertFalse(cache.putIfAbsent("k", 2));
        assertFalse(cache.replace("k", 5, 3), "replace with the wrong old value");
        assertTrue(cache.replace("k", 1, 3));
        assertEquals(3, cache.getAndReplace("k", 4));
        assertFalse(cache.remove("k", 3), "remove with the wrong old value");
        assertTrue(cache.remove("k", 4));
        assertNull(cache.getAndRemove("k"));

        CacheStatisticsMXBean stats = statistics(cache);
        assertEquals(6, stats.getCacheHits(), "hits: each call that found the entry, the second putIfAbsent too");
        assertEquals(3, stats.getCacheMisses(), "misses: replace(k,1), the first putIfAbsent, getAndRemove");
        assertEquals(3, stats.getCachePuts(), "puts: putIfAbsent, replace(k,1,3), getAndReplace");
        assertEquals(1, stats.getCacheRemovals(), "removals: remove(k,4)");
    }

    @Test
    void aCustomExpiryPolicyIsAskedOnceForTheCaseThatAppliesAndItsTtlsCountOnTheClock() {
        CountingPolicy.reset();
        Cache<String, Integer> cache = cache(new MutableConfiguration<String, Integer>()
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(CountingPolicy.class)));
        cache.put("k", 1);
        assertEquals(List.of(1, 0, 0), CountingPolicy.calls(), "a new entry asks for the creation TTL only");
        cache.put("k", 2);
        assertEquals(List.of(1, 1, 0), CountingPolicy.calls(), "an update asks for the update TTL only");
        assertEquals(2, cache.get("k"));
        assertEquals(List.of(1, 1, 1), CountingPolicy.calls(), "a hit asks for the access TTL");
        assertNull(cache.get("absent"));
        assertEquals(List.of(1, 1, 1), CountingPolicy.calls(), "a miss asks nothing");

        caches.advance(CountingPolicy.ACCESS_MILLIS - 1);
        assertTrue(cache.containsKey("k"), "the access TTL has not run out");
        caches.advance(1);
        assertFalse(cache.containsKey("k"), "gone once the access TTL ran out");
        assertEquals(List.of(1, 1, 1), CountingPolicy.calls(), "containsKey asks nothing");
    }

    @Test
    void aZeroUpdateTtlRemovesTheEntryAndAZeroCreationTtlStoresNothing() {
        Cache<String, Integer> cache = cache(new MutableConfiguration<String, Integer>()
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(ZeroOnUpdate.class)));
        cache.put("k", 1);
        assertEquals(1, cache.get("k"));
        cache.put("k", 2);
        assertFalse(cache.containsKey("k"), "an update with a zero TTL expires the entry");
    }

    @Test
    void entryProcessorsSeeCreateUpdateAndRemoveAsOneStepAndCountThem() {
        Cache<String, Integer> cache = cache(new MutableConfiguration<>());
        assertEquals(Boolean.FALSE, cache.invoke("k", (entry, args) -> {
            boolean existed = entry.exists();
            entry.setValue(10);
            return existed;
        }));
        Integer incremented = cache.invoke("k", (entry, args) -> {
            entry.setValue(entry.getValue() + 1);
            return entry.getValue();
        });
        assertEquals(11, incremented);
        assertNull(cache.invoke("k", (entry, args) -> {
            entry.remove();
            entry.setValue(99);
            entry.remove(); // only the last change counts: the entry is removed
            return null;
        }));
        assertFalse(cache.containsKey("k"));
        EntryProcessorException failure = assertThrows(EntryProcessorException.class,
                () -> cache.invoke("k", (entry, args) -> {
                    throw new IllegalStateException("boom");
                }));
        assertTrue(failure.getCause() instanceof IllegalStateException);

        CacheStatisticsMXBean stats = statistics(cache);
        assertEquals(2, stats.getCachePuts(), "the create and the update");
        assertEquals(2, stats.getCacheHits(), "each invoke on an existing entry is a hit: the second and the third");
        assertEquals(1, stats.getCacheMisses(), "the first found no entry; the failed one counts nothing");
        assertEquals(1, stats.getCacheRemovals(), "the third processor removed it");
    }

    @Test
    void concurrentIncrementsByEntryProcessorsLoseNoUpdate() throws InterruptedException {
        Cache<String, Integer> cache = cache(new MutableConfiguration<>());
        cache.put("c", 0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    cache.invoke("c", (entry, args) -> {
                        entry.setValue(entry.getValue() + 1);
                        return null;
                    });
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(1_000, cache.get("c"));
    }

    @Test
    void listenersHearEachWriteInOrderWithOldValues() {
        List<String> heard = new ArrayList<>();
        Recorder.target = heard;
        Cache<String, Integer> cache = cache(new MutableConfiguration<>());
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, Integer>(
                FactoryBuilder.factoryOf(Recorder.class), null, true, true));
        cache.put("k", 1);
        cache.put("k", 2);
        cache.putIfAbsent("k", 3); // no change, no event
        cache.replace("k", 2, 4);
        cache.replace("k", 2, 9); // no change, no event
        cache.putAll(Map.of("k", 5));
        cache.remove("k", 4); // no change, no event
        cache.remove("k");
        cache.put("j", 6);
        cache.removeAll(Set.of("j"));
        assertEquals(List.of("CREATED k null->1", "UPDATED k 1->2", "UPDATED k 2->4", "UPDATED k 4->5",
                "REMOVED k 5", "CREATED j null->6", "REMOVED j 6"), heard);
    }

    @Test
    void anAsynchronousListenerHearsOneKeysEventsInWriteOrder() {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        Recorder.target = heard;
        Cache<String, Integer> cache = cache(new MutableConfiguration<>());
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, Integer>(
                FactoryBuilder.factoryOf(Recorder.class), null, true, false));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            cache.put("k", i);
            expected.add(i == 1 ? "CREATED k null->1" : "UPDATED k " + (i - 1) + "->" + i);
        }
        cache.remove("k");
        expected.add("REMOVED k 200");
        Await.until("every event delivered", java.time.Duration.ofSeconds(10), () -> heard.size() >= expected.size(),
                () -> heard.size() + " of " + expected.size());
        assertEquals(expected, List.copyOf(heard));
    }

    @Test
    void anEntryWhoseTtlRanOutIsAMissAndIsNotCountedAsAHit() {
        Cache<String, Integer> cache = cache(new MutableConfiguration<String, Integer>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 5))));
        cache.put("k", 1);
        caches.advance(4_999);
        assertEquals(1, cache.get("k"));
        caches.advance(1);
        assertNull(cache.get("k"));
        assertFalse(cache.iterator().hasNext(), "iteration skips expired entries");
        CacheStatisticsMXBean stats = statistics(cache);
        assertEquals(1, stats.getCacheHits());
        assertEquals(1, stats.getCacheMisses());
    }

    @Test
    void aCacheWriterIsCalledExactlyWhenTheCacheOperationTakesEffect() {
        RecordingWriter.reset();
        Cache<String, Integer> cache = cache(new MutableConfiguration<String, Integer>().setWriteThrough(true)
                .setCacheWriterFactory(FactoryBuilder.factoryOf(RecordingWriter.class)));
        assertTrue(cache.putIfAbsent("k", 1));
        assertFalse(cache.putIfAbsent("k", 2));
        assertFalse(cache.replace("k", 9, 3));
        assertTrue(cache.replace("k", 1, 3));
        assertFalse(cache.remove("k", 9));
        assertFalse(cache.replace("absent", 1));
        cache.invoke("k", (entry, args) -> {
            entry.setValue(entry.getValue() + 1);
            return null;
        });
        cache.invoke("k", (entry, args) -> entry.getValue()); // reads only: nothing to write
        assertTrue(cache.remove("k", 4));
        assertFalse(cache.remove("k"));
        assertEquals(List.of("write k=1", "write k=3", "write k=4", "delete k", "delete k"), RecordingWriter.calls(),
                "the writer hears every change that took effect, and nothing else; remove(k) of an absent"
                        + " entry still tells the writer, as the specification says");
    }

    @Test
    void aLoaderFillsMissesOnlyAndItsLoadsAreNotCountedAsPuts() {
        Cache<String, Integer> cache = cache(new MutableConfiguration<String, Integer>().setReadThrough(true)
                .setCacheLoaderFactory(FactoryBuilder.factoryOf(LengthLoader.class)));
        cache.put("present", 1);
        assertEquals(1, cache.get("present"), "a hit does not load");
        assertEquals(5, cache.get("hello"), "a miss loads");
        assertTrue(cache.containsKey("hello"), "and stores what it loaded");
        CacheStatisticsMXBean stats = statistics(cache);
        assertEquals(1, stats.getCacheHits());
        assertEquals(1, stats.getCacheMisses());
        assertEquals(1, stats.getCachePuts(), "only the explicit put");
    }

    /** Records what it is told to write or delete. */
    public static final class RecordingWriter implements CacheWriter<String, Integer>,
            Serializable {
        private static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());

        static void reset() {
            CALLS.clear();
        }

        static List<String> calls() {
            return List.copyOf(CALLS);
        }

        @Override
        public void write(Cache.Entry<? extends String, ? extends Integer> entry) {
            CALLS.add("write " + entry.getKey() + "=" + entry.getValue());
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends Integer>> entries) {
            entries.forEach(this::write);
            entries.clear();
        }

        @Override
        public void delete(Object key) {
            CALLS.add("delete " + key);
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            keys.forEach(this::delete);
            keys.clear();
        }
    }

    /** Loads the length of the key. */
    public static final class LengthLoader implements CacheLoader<String, Integer>,
            Serializable {
        @Override
        public Integer load(String key) {
            return key.length();
        }

        @Override
        public Map<String, Integer> loadAll(Iterable<? extends String> keys) {
            Map<String, Integer> loaded = new HashMap<>();
            keys.forEach(key -> loaded.put(key, key.length()));
            return loaded;
        }
    }

    /** Counts its calls; a fixed TTL for each case. */
    public static final class CountingPolicy implements ExpiryPolicy, Serializable {
        static final long ACCESS_MILLIS = 3_000;
        private static final AtomicInteger CREATION = new AtomicInteger();
        private static final AtomicInteger UPDATE = new AtomicInteger();
        private static final AtomicInteger ACCESS = new AtomicInteger();

        static void reset() {
            CREATION.set(0);
            UPDATE.set(0);
            ACCESS.set(0);
        }

        static List<Integer> calls() {
            return List.of(CREATION.get(), UPDATE.get(), ACCESS.get());
        }

        @Override
        public Duration getExpiryForCreation() {
            CREATION.incrementAndGet();
            return new Duration(TimeUnit.SECONDS, 60);
        }

        @Override
        public Duration getExpiryForAccess() {
            ACCESS.incrementAndGet();
            return new Duration(TimeUnit.MILLISECONDS, ACCESS_MILLIS);
        }

        @Override
        public Duration getExpiryForUpdate() {
            UPDATE.incrementAndGet();
            return new Duration(TimeUnit.SECONDS, 60);
        }
    }

    /** Entries live until they are updated. */
    public static final class ZeroOnUpdate implements ExpiryPolicy, Serializable {
        @Override
        public Duration getExpiryForCreation() {
            return Duration.ETERNAL;
        }

        @Override
        public Duration getExpiryForAccess() {
            return null;
        }

        @Override
        public Duration getExpiryForUpdate() {
            return Duration.ZERO;
        }
    }

    /** Writes what it hears to {@link #target}, synchronously. */
    public static final class Recorder implements CacheEntryCreatedListener<String, Integer>,
            CacheEntryUpdatedListener<String, Integer>, CacheEntryRemovedListener<String, Integer>,
            CacheEntryExpiredListener<String, Integer>, Serializable {
        static volatile List<String> target;

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
            events.forEach(e -> target.add("CREATED " + e.getKey() + " " + e.getOldValue() + "->" + e.getValue()));
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
            events.forEach(e -> target.add("UPDATED " + e.getKey() + " " + e.getOldValue() + "->" + e.getValue()));
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
            events.forEach(e -> target.add("REMOVED " + e.getKey() + " " + e.getOldValue()));
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
            events.forEach(e -> target.add("EXPIRED " + e.getKey() + " " + e.getOldValue()));
        }
    }
}
