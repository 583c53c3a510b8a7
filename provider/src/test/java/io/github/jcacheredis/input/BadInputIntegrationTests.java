package io.github.jcacheredis.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear answer or correct behaviour, and touches nothing else. */
class BadInputIntegrationTests {

    private final RedisServer redis = TestRedis.server();
    private String namespace;
    private CacheManager manager;

    @BeforeEach
    void open() {
        namespace = TestRedis.uniqueNamespace();
        manager = TestRedis.newManager(namespace);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Cache<String, String> strings(CacheManager in, String name) {
        return in.createCache(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setManagementEnabled(true).setStatisticsEnabled(true));
    }

    @Test
    void nullsAreRefusedWithNullPointerExceptionAndWriteNothing() {
        Cache<String, String> cache = strings(manager, "nulls");
        assertThrows(NullPointerException.class, () -> cache.put(null, "v"));
        assertThrows(NullPointerException.class, () -> cache.put("k", null));
        assertThrows(NullPointerException.class, () -> cache.get(null));
        assertThrows(NullPointerException.class, () -> cache.invoke("k", null));
        assertThrows(NullPointerException.class, () -> cache.getAll(new HashSet<>(Arrays.asList("a", null))));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("a", "1");
        withNull.put("b", null);
        assertThrows(NullPointerException.class, () -> cache.putAll(withNull));
        assertNull(cache.get("a"), "a putAll with a null value writes nothing");
    }

    @Test
    void everyCharacterInNamesWorksAndClearOrDestroyTouchesNoOtherCache() {
        List<String> namespaces = List.of("ns:with:colons", "ns*?[]\\{}", "name space", "ünïcødé ☃", "");
        List<String> caches = List.of("a", "a:b", "a*", "ab", "a?", "[a]", "a\\b", "{a}", "a b", "ü", "");
        for (String ns : namespaces) {
            Properties properties = new Properties();
            properties.setProperty("namespace", ns + namespace);
            try (CacheManager weird = new io.github.jcacheredis.RedisCachingProvider().getCacheManager(
                    TestRedis.uri(namespace), getClass().getClassLoader(), properties)) {
                for (String name : caches) {
                    strings(weird, name).put("k", ns + "/" + name);
                }
                weird.getCache("a", String.class, String.class).clear();
                weird.destroyCache("{a}");
                for (String name : caches) {
                    String expected = name.equals("a") || name.equals("{a}") ? null : ns + "/" + name;
                    Cache<String, String> cache = name.equals("{a}") ? strings(weird, name)
                            : weird.getCache(name, String.class, String.class);
                    assertEquals(expected, cache.get("k"), "namespace '" + ns + "', cache '" + name + "'");
                }
            }
        }
    }

    @Test
    void largeKeysAndValuesRoundTrip() {
        Cache<String, byte[]> cache = manager.createCache("large",
                new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class));
        String key = "k".repeat(64 * 1024);
        byte[] value = new byte[10 * 1024 * 1024];
        Arrays.fill(value, (byte) 7);
        value[value.length - 1] = 9;
        cache.put(key, value);
        assertArrayEquals(value, cache.get(key));
        assertTrue(cache.remove(key));
    }

    @Test
    void aCorruptedValueIsAClearErrorNamingCacheAndKeyNeverAWrongTypedObject() {
        Cache<String, Product> cache = manager.createCache("products",
                new MutableConfiguration<String, Product>().setTypes(String.class, Product.class));
        redis.call("SET", namespace + ":products:1", "{not json");
        redis.call("SET", namespace + ":products:2", "\"a string, not a product\"");
        for (String key : List.of("1", "2")) {
            CacheException failure = assertThrows(CacheException.class, () -> cache.get(key));
            assertTrue(failure.getMessage().contains("Cache[products]"), failure.getMessage());
            assertTrue(failure.getMessage().contains(namespace + ":products:" + key), failure.getMessage());
        }
    }

    @Test
    void aJsonPayloadNamingAClassOutsideTheAllowlistIsRefusedAndNeverInstantiated() {
        Cache<String, Object> cache = manager.createCache("untyped", new MutableConfiguration<String, Object>()
                .setTypes(String.class, Object.class));
        redis.call("SET", namespace + ":untyped:evil", "{\"@class\":\"" + Gadget.class.getName() + "\",\"cmd\":\"x\"}");
        CacheException failure = assertThrows(CacheException.class, () -> cache.get("evil"));
        assertTrue(failure.getMessage().contains(namespace + ":untyped:evil"), failure.getMessage());
        assertEquals(0, GadgetProbe.INITIALISED.get());
    }

    @Test
    void aJavaSerializedPayloadNamingAClassOutsideTheAllowlistIsRefusedAndNeverInstantiated() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("namespace", namespace + "-java");
        properties.setProperty("codec", "java");
        try (CacheManager java = new io.github.jcacheredis.RedisCachingProvider().getCacheManager(
                TestRedis.uri(namespace), getClass().getClassLoader(), properties)) {
            Cache<String, Object> cache = java.createCache("untyped", new MutableConfiguration<String, Object>()
                    .setTypes(String.class, Object.class));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(new SerializableGadget());
            }
            redis.call("SET", namespace + "-java:untyped:evil", bytes.toByteArray());
            int before = SerializableGadget.READ.get();
            CacheException failure = assertThrows(CacheException.class, () -> cache.get("evil"));
            assertTrue(failure.getMessage().contains("untyped:evil"), failure.getMessage());
            assertEquals(before, SerializableGadget.READ.get());
            cache.put("fine", List.of(1L, "two"));
            assertEquals(List.of(1L, "two"), cache.get("fine"));
        }
    }

    record Product(long id, String name) {
    }

    /** A class an attacker would like instantiated; its initialisation is observable. */
    public static final class Gadget {
        static {
            GadgetProbe.INITIALISED.incrementAndGet();
        }

        String cmd;
    }

    static final class GadgetProbe {
        static final AtomicInteger INITIALISED = new AtomicInteger();
    }

    static final class SerializableGadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READ = new AtomicInteger();

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            READ.incrementAndGet();
        }
    }
}
