package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.succeeds;
import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.store.ExpiryIndex;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.testsupport.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EXPIRED events under the conditions Redis' own expiry handling fails them: many other volatile
 * keys (Redis finds expired keys by sampling), a large enrolment, eviction, a period with no
 * listener, a restart. Each expired entry must fire one event, with its last value, within two
 * seconds of its TTL; an entry that did not expire must fire none.
 */
class ExpiryFaultTests {

    static final long WITHIN_MILLIS = 2_000;

    private RedisServer redis;
    private final List<CacheManager> managers = new ArrayList<>();

    @AfterEach
    void stop() {
        managers.forEach(CacheManager::close);
        if (redis != null) {
            redis.close();
        }
    }

    private CacheManager manager() {
        Properties properties = new Properties();
        properties.setProperty("namespace", "exp");
        CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create(redis.uri()),
                getClass().getClassLoader(), properties);
        managers.add(manager);
        return manager;
    }

    private static Cache<String, String> sessions(CacheManager manager, long ttlMillis) {
        return manager.createCache("sessions", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                        new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttlMillis))));
    }

    /** Writes {@code count} keys {@code prefix<i>} holding {@code value}, with a TTL of an hour, in one script per 50,000. */
    private void volatileKeys(String prefix, int count, String value) {
        String script;
        try (InputStream in = ExpiryFaultTests.class.getResourceAsStream("set_volatile.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int from = 1; from <= count; from += 50_000) {
            redis.call("EVAL", script, "0", prefix, String.valueOf(from), String.valueOf(Math.min(count, from + 49_999)),
                    value);
        }
    }

    /** Waits for the EXPIRED events of {@code deadlines}' keys and checks each came within two seconds of its TTL. */
    static void assertReportedInTime(EventRecorder recorder, Map<String, Long> deadlines, String value)
            throws InterruptedException {
        Map<String, Long> late = new TreeMap<>(recorder.expiries(deadlines, value, 10));
        late.values().removeIf(millis -> millis <= WITHIN_MILLIS);
        assertEquals(Map.of(), late, "EXPIRED events later than " + WITHIN_MILLIS + " ms after the TTL, in ms");
    }

    private static List<String> expiredOnly(List<String> events) {
        return events.stream().filter(event -> event.startsWith("EXPIRED")).toList();
    }

    @Test
    void expiriesAreReportedInTimeAmongManyOtherVolatileKeys() throws InterruptedException {
        redis = RedisServer.start();
        volatileKeys("other:", 200_000, "x");
        Cache<String, String> cache = sessions(manager(), 1_000);
        EventRecorder recorder = EventRecorder.register(cache, false);
        Map<String, Long> deadlines = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            cache.put("s" + i, "v");
            deadlines.put("s" + i, System.currentTimeMillis() + 1_000);
        }
        assertReportedInTime(recorder, deadlines, "v");
    }

    @Test
    void enrollingManyExistingEntriesDoesNotDelayReports() throws InterruptedException {
        redis = RedisServer.start();
        volatileKeys("exp:sessions:old", 150_000, "\"old\"");
        Cache<String, String> cache = sessions(manager(), 1_000);
        EventRecorder recorder = EventRecorder.register(cache, false); // enrolls the 150,000
        Map<String, Long> deadlines = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            cache.put("s" + i, "v");
            deadlines.put("s" + i, System.currentTimeMillis() + 1_000);
        }
        assertReportedInTime(recorder, deadlines, "v");
        until(() -> Long.valueOf(150_000).equals(redis.call("ZCARD", "exp:%due:sessions:{}")), Duration.ofSeconds(60));
    }

    @Test
    void anEnrolmentCutShortByAStallIsResumed() {
        redis = RedisServer.start();
        volatileKeys("exp:sessions:old", 100_000, "\"old\"");
        Cache<String, String> cache = sessions(manager(), 1_000);
        EventRecorder.register(cache, false);
        until(() -> (Long) redis.call("ZCARD", "exp:%due:sessions:{}") > 0, Duration.ofSeconds(10));
        redis.stall(Duration.ofSeconds(5)).awaitEnd(); // the enrolment's calls time out meanwhile
        until(() -> Long.valueOf(100_000).equals(redis.call("ZCARD", "exp:%due:sessions:{}")), Duration.ofSeconds(30));
    }

    @Test
    void anEntryEvictedAndPutAgainIsNotReportedAsExpired() throws InterruptedException {
        redis = RedisServer.start("--maxmemory", "20mb", "--maxmemory-policy", "allkeys-lru");
        Cache<String, String> cache = sessions(manager(), 60_000);
        EventRecorder recorder = EventRecorder.register(cache, false);
        for (int i = 0; i < 200; i++) {
            cache.put("s" + i, "v1");
        }
        List<String> evicted = new ArrayList<>();
        for (int filler = 0; evicted.size() < 20; filler++) {
            redis.call("SET", "filler:" + filler, "x".repeat(100_000));
            for (int i = 0; i < 200; i++) {
                if (!evicted.contains("s" + i) && redis.call("EXISTS", "exp:sessions:s" + i).equals(0L)) {
                    evicted.add("s" + i);
                }
            }
        }
        redis.call("CONFIG", "SET", "maxmemory", "0"); // no more evictions from here on
        for (String key : evicted) {
            cache.put(key, "v2"); // finds the entry gone long before its time: it did not expire
        }
        cache.put("marker", "m");
        cache.remove("marker");
        assertEquals(List.of(), expiredOnly(recorder.drainAfter(2 * ExpiryIndex.SWEEP_MILLIS)),
                "evicted entries fired EXPIRED");
    }

    @Test
    void whileNobodyListensRemovalsAndUpdatesLeaveNothingToReportWrongly() throws InterruptedException {
        redis = RedisServer.start();
        CacheManager first = manager();
        Cache<String, String> withListener = sessions(first, 3_000);
        EventRecorder before = EventRecorder.register(withListener, false);
        withListener.put("removed", "v1");
        withListener.put("updated", "v1");
        first.close(); // the only instance that listens restarts: for a while nobody tracks expiry

        Cache<String, String> writer = sessions(manager(), 3_000);
        writer.remove("removed");
        writer.put("updated", "v2");
        long updatedAt = System.currentTimeMillis();

        Cache<String, String> again = sessions(manager(), 3_000);
        EventRecorder recorder = EventRecorder.register(again, false);
        String event = recorder.next("EXPIRED", 10);
        assertEquals("EXPIRED updated v2->v2", event, "the last value, and nothing for the removed entry");
        assertTrue(System.currentTimeMillis() - updatedAt < 3_000 + WITHIN_MILLIS);
        assertEquals(List.of(), expiredOnly(recorder.drainAfter(2 * ExpiryIndex.SWEEP_MILLIS)));
        assertEquals(List.of(), expiredOnly(before.drain()), "the closed instance's listener heard no expiry");
    }

    @Test
    void reportsResumeAfterARestart() throws InterruptedException {
        redis = RedisServer.start();
        Cache<String, String> cache = sessions(manager(), 1_000);
        EventRecorder recorder = EventRecorder.register(cache, false);
        cache.put("before", "v");
        assertEquals("EXPIRED before v->v", recorder.next("EXPIRED", 10));

        redis.restart();
        until(() -> succeeds(() -> cache.put("after", "v")));
        long deadline = System.currentTimeMillis() + 1_000;
        assertEquals("EXPIRED after v->v", recorder.next("EXPIRED", 10));
        assertTrue(System.currentTimeMillis() - deadline < WITHIN_MILLIS, "reported too late after the restart");
    }
}
