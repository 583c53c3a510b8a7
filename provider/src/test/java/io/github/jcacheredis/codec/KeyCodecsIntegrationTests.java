package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 7: keys that are {@code equals()} but differ in collection class or iteration
 * order were different entries, and a collection key read back from Redis (iteration,
 * {@code removeAll()}) was encoded again as another class, so {@code removeAll()} left it behind.
 */
class KeyCodecsIntegrationTests {

    private final RedisServer redis = TestRedis.server();
    private String namespace;
    private CacheManager manager;

    @BeforeEach
    void openManager() {
        namespace = TestRedis.uniqueNamespace();
        Properties properties = new Properties();
        properties.setProperty("allowed-packages", Route.class.getPackageName());
        manager = new RedisCachingProvider().getCacheManager(TestRedis.uri(namespace),
                KeyCodecsIntegrationTests.class.getClassLoader(), properties);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Cache<Object, String> untyped(String name) {
        return manager.createCache(name, new MutableConfiguration<>());
    }

    @SuppressWarnings("unchecked")
    private List<String> redisKeys(String cache) {
        return (List<String>) redis.call("KEYS", namespace + ":" + cache + ":*");
    }

    @Test
    void aListPutAsListOfIsFoundWithAnEqualArrayList() {
        Cache<Object, String> cache = untyped("lists");
        cache.put(List.of("a", "b"), "ab");

        assertEquals("ab", cache.get(new ArrayList<>(List.of("a", "b"))));
        assertNull(cache.get(List.of("b", "a")), "lists keep their order");
        assertEquals(List.of(namespace + ":lists:#j:[\"java.util.List\",[\"a\",\"b\"]]"), redisKeys("lists"));
    }

    /**
     * Two keys that are not {@code equals()} but encode alike (arrays compare by identity) are one
     * entry: putAll of both stores one of them, as two puts would, with listeners too, and fires
     * one event for it; getAll of both answers each.
     */
    @Test
    void putAllOfTwoKeysThatAreOneEntryStoresOneValueAndFiresOneEvent() throws InterruptedException {
        Cache<Object, String> cache = untyped("arrays");
        EventRecorder events = EventRecorder.register(cache, true);
        Map<Object, String> both = new LinkedHashMap<>();
        both.put(new int[] {1, 2}, "first");
        both.put(new int[] {1, 2}, "second");

        cache.putAll(both);

        assertEquals(1, redisKeys("arrays").size(), "one entry: " + redisKeys("arrays"));
        assertEquals("second", cache.get(new int[] {1, 2}), "the later value, as two puts would leave");
        String created = events.next();
        assertTrue(created.startsWith("CREATED ") && created.endsWith("null->second"), created);
        assertEquals(List.of(), events.drain(), "one event for one entry");
        Map<Object, String> read = cache.getAll(both.keySet());
        assertEquals(List.of("second", "second"), both.keySet().stream().map(read::get).toList(),
                "getAll answers each of the keys");
    }

    @Test
    void aHashSetAndAnEqualTreeSetAreOneEntry() {
        Cache<Object, String> cache = untyped("sets");
        cache.put(new HashSet<>(List.of("b", "a", "c")), "hash");
        cache.put(new TreeSet<>(List.of("c", "a", "b")), "tree");

        assertEquals("tree", cache.get(Set.of("a", "b", "c")));
        assertEquals(List.of(namespace + ":sets:#j:[\"java.util.Set\",[\"a\",\"b\",\"c\"]]"), redisKeys("sets"));
    }

    @Test
    void equalMapsAreOneEntryAndKeepTheirNonStringKeys() {
        Cache<Object, String> cache = untyped("maps");
        Map<Integer, String> put = new HashMap<>(Map.of(1, "one", 2, "two"));
        cache.put(put, "numbers");

        assertEquals("numbers", cache.get(new TreeMap<>(Map.of(2, "two", 1, "one"))));
        Object readBack = cache.iterator().next().getKey();
        assertEquals(put, readBack);
        assertEquals("numbers", cache.get(readBack));
    }

    @Test
    void keysReadBackFromRedisAreEqualToThePutKeysAndRemoveAllRemovesThem() {
        Cache<Object, String> cache = untyped("readback");
        Set<Object> put = new HashSet<>();
        put.add(List.of("a", "b"));
        put.add(Set.of("x", "y", "z"));
        put.add(new LinkedHashSet<>(List.of(List.of(1L, 2L), List.of(3L))));
        put.add(new Route("north", List.of("a", "b"), Set.of(1, 2, 3), Map.of(7L, "seven")));
        put.forEach(key -> cache.put(key, "v"));

        Set<Object> iterated = new HashSet<>();
        cache.forEach(entry -> iterated.add(entry.getKey()));
        assertEquals(put, iterated);

        cache.removeAll();
        assertEquals(List.of(), redisKeys("readback"));
        assertFalse(cache.iterator().hasNext());
    }

    /** A key record with collections in its fields, as composite cache keys often have. */
    record Route(String name, List<String> stops, Set<Integer> zones, Map<Long, String> labels) {
    }
}
