package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.support.TestRedis;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheWriter;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances race conditional writes on one key of a write-through cache. The writer (a
 * shared map standing for the system of record) must be called exactly when the cache operation
 * takes effect, so that after every race the cache and the system of record agree.
 */
class WriteThroughRaceFaultTests {

    private static final int RACES = 150;
    private static final Map<String, Map<String, String>> RECORDS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> WRITES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> UPDATE_TTLS = new ConcurrentHashMap<>();

    private final String id = TestRedis.uniqueNamespace();
    private CacheManager a;
    private CacheManager b;
    private Cache<String, String> onA;
    private Cache<String, String> onB;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeEach
    void twoInstances() {
        RECORDS.put(id, new ConcurrentHashMap<>());
        WRITES.put(id, new AtomicInteger());
        UPDATE_TTLS.put(id, new AtomicInteger());
        a = TestRedis.newManager(id);
        b = TestRedis.newManager(id);
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setWriteThrough(true)
                .setCacheWriterFactory(FactoryBuilder.factoryOf(new RecordWriter(id)))
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new CountingPolicy(id)));
        onA = a.createCache("records", config);
        onB = b.createCache("records", config);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        a.close();
        b.close();
        RECORDS.remove(id);
    }

    private Map<String, String> records() {
        return RECORDS.get(id);
    }

    /** Runs both calls at once, from two threads, released by one barrier. */
    private void race(Runnable onInstanceA, Runnable onInstanceB) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> first = pool.submit(() -> {
            start.await();
            onInstanceA.run();
            return null;
        });
        Future<?> second = pool.submit(() -> {
            start.await();
            onInstanceB.run();
            return null;
        });
        first.get();
        second.get();
    }

    @Test
    void racingPutIfAbsentLeavesCacheAndRecordAgreeing() throws Exception {
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < RACES; i++) {
            String key = "k" + i;
            race(() -> onA.putIfAbsent(key, "from-a"), () -> onB.putIfAbsent(key, "from-b"));
            if (!Objects.equals(records().get(key), onA.get(key))) {
                disagreements.add(key + ": record " + records().get(key) + ", cache " + onA.get(key));
            }
        }
        assertAgree(disagreements);
        assertEquals(RACES, WRITES.get(id).get(), "the writer runs once per key: only the put that took effect");
    }

    @Test
    void racingConditionalRemoveAndReplaceLeaveCacheAndRecordAgreeing() throws Exception {
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < RACES; i++) {
            String key = "k" + i;
            onA.put(key, "v1");
            race(() -> onA.remove(key, "v1"), () -> onB.replace(key, "v1", "v2"));
            if (!Objects.equals(records().get(key), onB.get(key))) {
                disagreements.add(key + ": record " + records().get(key) + ", cache " + onB.get(key));
            }
        }
        assertAgree(disagreements);
    }

    private static void assertAgree(List<String> disagreements) {
        assertEquals(0, disagreements.size(), disagreements.size() + " of " + RACES + " races left cache and record"
                + " disagreeing, e.g. " + disagreements.subList(0, Math.min(3, disagreements.size())));
    }

    @Test
    void racingIncrementsCallTheWriterAndThePolicyOncePerChange() throws Exception {
        onA.put("n", "0");
        int before = WRITES.get(id).get();
        UPDATE_TTLS.get(id).set(0);
        Increment.RUNS.set(0);
        int each = 60;
        race(() -> {
            for (int i = 0; i < each; i++) {
                onA.invoke("n", new Increment());
            }
        }, () -> {
            for (int i = 0; i < each; i++) {
                onB.invoke("n", new Increment());
            }
        });
        assertEquals(String.valueOf(2 * each), onA.get("n"));
        assertEquals(String.valueOf(2 * each), records().get("n"));
        assertEquals(2 * each, WRITES.get(id).get() - before, "one writer call per increment");
        assertEquals(2 * each, UPDATE_TTLS.get(id).get(), "one update-TTL question per increment");
        assertEquals(2 * each, Increment.RUNS.get(), "one processor run per increment");
    }

    /** Adds one to a counter held as text; counts its runs. */
    static final class Increment implements EntryProcessor<String, String, Void>, Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger RUNS = new AtomicInteger();

        @Override
        public Void process(MutableEntry<String, String> entry, Object... arguments) {
            RUNS.incrementAndGet();
            entry.setValue(String.valueOf(Long.parseLong(entry.getValue()) + 1));
            return null;
        }
    }

    /** Writes to the test's record map. */
    static final class RecordWriter implements CacheWriter<String, String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        RecordWriter(String id) {
            this.id = id;
        }

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            WRITES.get(id).incrementAndGet();
            RECORDS.get(id).put(entry.getKey(), entry.getValue());
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            entries.forEach(this::write);
            entries.clear();
        }

        @Override
        public void delete(Object key) {
            RECORDS.get(id).remove(key);
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            keys.forEach(this::delete);
            keys.clear();
        }
    }

    /** Eternal entries, counting how often it is asked for the TTL after an update. */
    static final class CountingPolicy implements ExpiryPolicy, Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        CountingPolicy(String id) {
            this.id = id;
        }

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
            UPDATE_TTLS.get(id).incrementAndGet();
            return null;
        }
    }
}
