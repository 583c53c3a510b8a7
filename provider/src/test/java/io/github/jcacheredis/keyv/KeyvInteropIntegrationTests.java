package io.github.jcacheredis.keyv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Java service and a Node.js service (keyv 5.6.0 with {@code @keyv/redis} 5.1.6, as NestJS's and
 * Express's cache-manager use them) share caches on one Redis through {@code format=keyv}: each
 * reads what the other wrote, nested objects and dates included, and a TTL set on either side ends
 * the entry for both.
 */
class KeyvInteropIntegrationTests {

    record Dimensions(int width, int height) {
    }

    record Product(String name, List<String> tags, Dimensions size, Instant updated) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeyvNode node;
    private static CacheManager manager;

    @BeforeAll
    static void installKeyvAndOpenAManager() {
        node = KeyvNode.install(TestRedis.server().uri());
        URI uri = URI.create(TestRedis.server().uri() + "?format=keyv&namespace=" + TestRedis.uniqueNamespace());
        manager = new RedisCachingProvider().getCacheManager(uri, KeyvInteropIntegrationTests.class.getClassLoader(),
                new Properties());
    }

    @AfterAll
    static void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    /** A cache name no other test uses; it is also the keyv namespace on the Node.js side. */
    private static String uniqueName(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static <V> Cache<String, V> cache(String name, Class<V> valueType, long ttlMillis) {
        MutableConfiguration<String, V> configuration = new MutableConfiguration<String, V>().setTypes(String.class, valueType);
        if (ttlMillis > 0) {
            configuration.setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
                    new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttlMillis)));
        }
        return manager.createCache(name, configuration);
    }

    private static JsonNode stored(String redisKey) throws IOException {
        return JSON.readTree((String) TestRedis.server().call("GET", redisKey));
    }

    @Test
    void whatNodeWritesJavaReads() throws IOException {
        String name = uniqueName("products");
        Cache<String, Product> products = cache(name, Product.class, 0);
        node.set(name, "lamp", "{\"name\":\"Desk lamp\",\"tags\":[\":new\",\"light\"],\"size\":{\"width\":20,"
                + "\"height\":45},\"updated\":{\"$date\":\"2026-01-02T03:04:05.678Z\"}}", 60_000L);

        assertEquals(new Product("Desk lamp", List.of(":new", "light"), new Dimensions(20, 45),
                Instant.parse("2026-01-02T03:04:05.678Z")), products.get("lamp"));
        JsonNode stored = stored(name + "::" + name + ":lamp");
        assertEquals("::new", stored.at("/value/tags/0").asText(), "keyv's extra colon, removed by the Java side");
        long pttl = (Long) TestRedis.server().call("PTTL", name + "::" + name + ":lamp");
        assertTrue(pttl > 0 && pttl <= 60_000, "Node's TTL is the entry's Redis TTL, was " + pttl);
    }

    @Test
    void whatJavaWritesNodeReads() throws IOException {
        String name = uniqueName("products");
        Cache<String, Product> products = cache(name, Product.class, 60_000);
        Instant updated = Instant.parse("2026-03-04T05:06:07.890Z");
        long before = System.currentTimeMillis();
        products.put("chair", new Product("Chair", List.of(":sale"), new Dimensions(50, 90), updated));

        JsonNode read = node.get(name, "chair");
        assertTrue(read.get("found").asBoolean(), read.toString());
        assertEquals("Chair", read.at("/value/name").asText());
        assertEquals(":sale", read.at("/value/tags/0").asText(), "Node removes the colon the Java side added");
        assertEquals(90, read.at("/value/size/height").asInt());
        assertEquals("string", read.at("/types/updated").asText(), "a Date arrives as an ISO-8601 string");
        assertEquals(updated, Instant.parse(read.at("/value/updated").asText()));

        String key = name + "::" + name + ":chair";
        JsonNode stored = stored(key);
        long expires = stored.get("expires").asLong();
        assertTrue(expires >= before + 60_000 && expires <= System.currentTimeMillis() + 60_000, stored.toString());
        long pttl = (Long) TestRedis.server().call("PTTL", key);
        assertTrue(Math.abs(System.currentTimeMillis() + pttl - expires) < 1_000,
                "the Redis TTL ends when \"expires\" says: PTTL " + pttl + ", expires " + expires);
    }

    @Test
    void aTtlSetByNodeEndsTheEntryForJava() {
        String name = uniqueName("sessions");
        Cache<String, String> sessions = cache(name, String.class, 0);
        node.set(name, "s1", "\":token\"", 3_000L);
        assertEquals(":token", sessions.get("s1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sessions.get("s1") == null);
    }

    @Test
    void anUpdateUnderTheEternalPolicyKeepsTheTtlNodeSet() {
        String name = uniqueName("sessions");
        Cache<String, String> sessions = cache(name, String.class, 0);
        node.set(name, "put", "\"a\"", 600_000L);
        node.set(name, "putAll", "\"b\"", 600_000L);

        sessions.put("put", "A");
        sessions.putAll(Map.of("putAll", "B"));

        for (String key : List.of("put", "putAll")) {
            long pttl = (Long) TestRedis.server().call("PTTL", name + "::" + name + ":" + key);
            assertTrue(pttl > 0 && pttl <= 600_000, "the update by " + key + " kept Node's TTL: PTTL " + pttl);
        }
        assertEquals("B", node.get(name, "putAll").at("/value").asText());
    }

    @Test
    void aTtlSetByJavaEndsTheEntryForNode() {
        String name = uniqueName("sessions");
        // long enough for a node process to start on a busy machine
        Cache<String, String> sessions = cache(name, String.class, 5_000);
        sessions.put("s2", "token");
        assertTrue(node.get(name, "s2").get("found").asBoolean());
        await().atMost(Duration.ofSeconds(30)).until(() -> !node.get(name, "s2").get("found").asBoolean());
        assertNull(sessions.get("s2"));
    }

    @Test
    void stringsStartingWithAColonAreStoredAsKeyvStoresThem() {
        String name = uniqueName("labels");
        Cache<String, String> labels = cache(name, String.class, 0);
        labels.put("java", ":abc");
        assertEquals("{\"value\":\"::abc\"}", TestRedis.server().call("GET", name + "::" + name + ":java"));
        assertEquals(":abc", node.get(name, "java").get("value").asText());

        node.set(name, "node", "\":def\"", null);
        assertEquals("{\"value\":\"::def\"}", TestRedis.server().call("GET", name + "::" + name + ":node"),
                "the same bytes either side writes");
        assertEquals(":def", labels.get("node"));
    }

    @Test
    void clearingACacheLeavesOtherKeyvNamespacesAlone() {
        String name = uniqueName("carts");
        String other = uniqueName("carts");
        Cache<String, String> carts = cache(name, String.class, 0);
        node.set(name, "c1", "\"one\"", null);
        node.set(other, "c1", "\"other\"", null);
        assertEquals(List.of("c1"), keysOf(carts));

        carts.clear();
        assertFalse(node.get(name, "c1").get("found").asBoolean());
        assertEquals("other", node.get(other, "c1").get("value").asText());
    }

    private static List<String> keysOf(Cache<String, ?> cache) {
        List<String> keys = new java.util.ArrayList<>();
        cache.forEach(entry -> keys.add(entry.getKey()));
        return keys;
    }
}
