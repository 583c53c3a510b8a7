package io.github.jcacheredis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.RedisServer;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCacheIntegrationTests {

    private final RedisServer redis = TestRedis.server();
    private String namespace;
    private CacheManager manager;

    @BeforeEach
    void openManager() {
        namespace = TestRedis.uniqueNamespace();
        manager = TestRedis.newManager(namespace);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private <K, V> Cache<K, V> cache(String name, Class<K> keyType, Class<V> valueType) {
        return manager.createCache(name, new MutableConfiguration<K, V>().setTypes(keyType, valueType));
    }

    @Test
    void eachEntryIsOneNamespacedKeyWithReadableJson() {
        Cache<String, Product> products = cache("products", String.class, Product.class);
        products.put("42", new Product(42, "Widget", Instant.parse("2026-11-27T10:00:00Z")));

        assertEquals("{\"id\":42,\"name\":\"Widget\",\"added\":\"2026-11-27T10:00:00Z\"}",
                redis.call("GET", namespace + ":products:42"));
        assertEquals(new Product(42, "Widget", Instant.parse("2026-11-27T10:00:00Z")), products.get("42"));

        Cache<Long, String> numbers = cache("numbers", Long.class, String.class);
        numbers.put(7L, "seven");
        assertEquals("\"seven\"", redis.call("GET", namespace + ":numbers:7"));
    }

    @Test
    void getAllAnswersEachKeyWithItsOwnValueAndLeavesOutAbsentOnes() {
        Cache<String, String> cache = cache("bulk", String.class, String.class);
        Set<String> keys = new java.util.LinkedHashSet<>();
        java.util.Map<String, String> present = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            keys.add("k" + i);
            if (i % 3 != 0) {
                present.put("k" + i, "v" + i);
            }
        }
        cache.putAll(present);
        redis.call("DEL", namespace + ":bulk:k1");
        redis.call("HSET", namespace + ":bulk:k1", "f", "not a string"); // not a cache entry: never a value

        java.util.Map<String, String> expected = new java.util.HashMap<>(present);
        expected.remove("k1");
        assertEquals(expected, cache.getAll(keys));
    }

    @Test
    void untypedCachesKeepKeysOfDifferentTypesApart() {
        Cache<Object, Object> mixed = manager.createCache("mixed", new MutableConfiguration<>());
        mixed.put(1, "int");
        mixed.put(1L, "long");
        mixed.put("1", "string");
        assertEquals("int", mixed.get(1));
        assertEquals("long", mixed.get(1L));
        assertEquals("string", mixed.get("1"));
        assertEquals("\"string\"", redis.call("GET", namespace + ":mixed:1"));
        assertEquals("\"long\"", redis.call("GET", namespace + ":mixed:#l:1"));
    }

    @Test
    void expiryPoliciesBecomeNativeMillisecondTtls() {
        Cache<String, String> created = manager.createCache("created", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 30))));
        created.put("k", "v");
        long ttl = pttl("created", "k");
        assertTrue(ttl > 25_000 && ttl <= 30_000, "PTTL " + ttl);
        created.put("k", "v2");
        assertTrue(pttl("created", "k") <= ttl, "an update keeps the creation TTL");

        Cache<String, String> eternal = cache("eternal", String.class, String.class);
        eternal.put("k", "v");
        assertEquals(-1L, pttl("eternal", "k"));

        Cache<String, String> zero = manager.createCache("zero", new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ZERO)));
        zero.put("k", "v");
        assertEquals(0L, redis.call("EXISTS", namespace + ":zero:k"), "a zero creation duration stores nothing");
    }

    @Test
    void readsRefreshAnAccessTtlAndUpdatesAModifiedTtl() {
        Cache<String, String> accessed = manager.createCache("accessed", new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 60))));
        accessed.put("k", "v");
        redis.call("PEXPIRE", namespace + ":accessed:k", 5_000);
        assertEquals("v", accessed.get("k"));
        assertTrue(pttl("accessed", "k") > 55_000, "get refreshed the TTL");

        Cache<String, String> modified = manager.createCache("modified", new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 60))));
        modified.put("k", "v");
        redis.call("PEXPIRE", namespace + ":modified:k", 5_000);
        assertEquals("v", modified.get("k"));
        assertTrue(pttl("modified", "k") <= 5_000, "get leaves a modified TTL alone");
        modified.put("k", "v2");
        assertTrue(pttl("modified", "k") > 55_000, "an update resets it");
    }

    @Test
    void clearAndDestroyTouchOnlyTheirOwnCache() {
        List<String> names = List.of("a", "a:b", "a*", "ab", "[a]", "a?");
        for (String name : names) {
            cache(name, String.class, String.class).put("k", name);
        }
        try (CacheManager other = TestRedis.newManager(namespace + "x")) {
            other.createCache("a", new MutableConfiguration<String, String>()).put("k", "other namespace");

            manager.getCache("a", String.class, String.class).clear();
            assertNull(manager.getCache("a", String.class, String.class).get("k"));
            for (String name : names.subList(1, names.size())) {
                assertEquals(name, manager.getCache(name, String.class, String.class).get("k"), name + " survived clear");
            }
            manager.destroyCache("a*");
            assertEquals(0L, redis.call("EXISTS", namespace + ":a*:k"));
            assertEquals("ab", manager.getCache("ab", String.class, String.class).get("k"));
            assertEquals("other namespace", other.getCache("a").get("k"));
        }
    }

    @Test
    void iterationVisitsEveryEntryInBatchesAndRemovesThroughTheCache() {
        Cache<Integer, String> numbers = cache("numbers", Integer.class, String.class);
        for (int i = 0; i < 1_234; i++) {
            numbers.put(i, "n" + i);
        }
        Set<Integer> seen = new HashSet<>();
        for (Iterator<Cache.Entry<Integer, String>> it = numbers.iterator(); it.hasNext(); ) {
            Cache.Entry<Integer, String> entry = it.next();
            assertEquals("n" + entry.getKey(), entry.getValue());
            seen.add(entry.getKey());
            if (entry.getKey() % 2 == 0) {
                it.remove();
            }
        }
        assertEquals(1_234, seen.size());
        assertNull(numbers.get(10));
        assertEquals("n11", numbers.get(11));
    }

    @Test
    void aValueThatCannotBeWrittenLeavesRedisUntouched() {
        Cache<String, Object> objects = manager.createCache("objects", new MutableConfiguration<String, Object>()
                .setTypes(String.class, Object.class));
        objects.put("k", "before");
        CacheException failure = assertThrows(CacheException.class, () -> objects.put("k", new Thread()));
        assertTrue(failure.getMessage().contains("Cache[objects]"), failure.getMessage());
        assertEquals("\"before\"", redis.call("GET", namespace + ":objects:k"));
    }

    @Test
    void anotherManagerSeesTheSameEntriesAtOnce() {
        Cache<String, String> onA = cache("shared", String.class, String.class);
        onA.put("early", "written before B opened the cache");
        try (CacheManager b = TestRedis.newManager(namespace)) {
            Cache<String, String> onB = b.createCache("shared", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class));
            onA.put("k", "from A");
            assertEquals("from A", onB.get("k"));
            onA.replace("k", "replaced by A");
            assertEquals("replaced by A", onB.get("k"));
            onA.remove("k");
            assertFalse(onB.containsKey("k"));
            assertEquals("written before B opened the cache", onB.get("early"));
            onB.put("x", "from B");
            onA.clear();
            assertNull(onB.get("x"));
            onB.put("y", "from B again");
            manager.destroyCache("shared");
            assertNull(onB.get("y"), "destroyCache on A deletes the entries for B too");
        }
    }

    private long pttl(String cache, String key) {
        return (Long) redis.call("PTTL", namespace + ":" + cache + ":" + key);
    }

    record Product(long id, String name, Instant added) {
    }
}
