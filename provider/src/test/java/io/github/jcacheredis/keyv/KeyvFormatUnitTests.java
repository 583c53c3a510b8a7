package io.github.jcacheredis.keyv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.codec.CodecException;
import io.github.jcacheredis.codec.Codecs;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;

/**
 * The bytes of keyv's format, checked against what keyv 5.6.0 with @keyv/redis 5.1.6 wrote for the
 * same values, and the configurations it refuses.
 */
class KeyvFormatUnitTests {

    private static final ClassLoader LOADER = KeyvFormatUnitTests.class.getClassLoader();
    private static final long NOW = 1_796_000_000_000L;
    private static final Duration MINUTE = new Duration(TimeUnit.MINUTES, 1);

    record Product(String name, List<String> tags, Dimensions size, Instant updated) {
    }

    record Dimensions(int width, int height) {
    }

    record Blob(String name, byte[] data) {
    }

    /** A policy the provider cannot read in advance, though it always answers the same. */
    static final class CustomPolicy implements ExpiryPolicy {
        @Override
        public Duration getExpiryForCreation() {
            return MINUTE;
        }

        @Override
        public Duration getExpiryForAccess() {
            return null;
        }

        @Override
        public Duration getExpiryForUpdate() {
            return MINUTE;
        }
    }

    private static Codecs codecs(Class<?> keyType, Class<?> valueType, ExpiryPolicy policy) {
        return KeyvFormat.codecs("products", keyType, valueType, new ExpiryDecisions(policy), false, LOADER, () -> NOW);
    }

    private static String write(Codecs codecs, Object value) {
        return new String(codecs.values().encode(value), StandardCharsets.UTF_8);
    }

    private static Object read(Codecs codecs, String json) {
        return codecs.values().decode(json.getBytes(StandardCharsets.UTF_8), "products::products:p1");
    }

    @Test
    void aValueWithoutTtlIsTheValueAlone() {
        Codecs codecs = codecs(String.class, Product.class, new EternalExpiryPolicy());
        Product product = new Product("lamp", List.of("a", ":b"), new Dimensions(3, 4),
                Instant.parse("1970-01-01T00:00:00Z"));
        String json = write(codecs, product);
        assertEquals("{\"value\":{\"name\":\"lamp\",\"tags\":[\"a\",\"::b\"],\"size\":{\"width\":3,\"height\":4},"
                + "\"updated\":\"1970-01-01T00:00:00Z\"}}", json);
        assertEquals(product, read(codecs, json));
    }

    @Test
    void aTtlIsWrittenAsExpiresInEpochMilliseconds() {
        Codecs codecs = codecs(String.class, String.class, ModifiedExpiryPolicy.factoryOf(MINUTE).create());
        assertEquals("{\"value\":\"plain\",\"expires\":" + (NOW + 60_000) + "}", write(codecs, "plain"));
    }

    @Test
    void stringsStartingWithAColonGetOneMoreAsKeyvWritesThem() {
        Codecs codecs = codecs(String.class, String.class, new EternalExpiryPolicy());
        assertEquals("{\"value\":\"::abc\"}", write(codecs, ":abc"));
        assertEquals(":abc", read(codecs, "{\"value\":\"::abc\"}"));
        assertEquals("abc", read(codecs, "{\"value\":\"abc\"}"));
    }

    @Test
    void whatKeyvWroteIsReadAsTheDeclaredType() {
        Codecs codecs = codecs(String.class, Product.class, new EternalExpiryPolicy());
        // written by keyv for { name, tags, size, updated: new Date(0), extra } with a one-minute ttl
        String written = "{\"value\":{\"name\":\"lamp\",\"tags\":[\"::x\"],\"size\":{\"width\":1,\"height\":2},"
                + "\"updated\":\"1970-01-01T00:00:00.000Z\",\"extra\":true},\"expires\":1796004127801}";
        assertEquals(new Product("lamp", List.of(":x"), new Dimensions(1, 2), Instant.EPOCH), read(codecs, written));
    }

    @Test
    void byteArraysAreNodeBuffers() {
        Codecs codecs = codecs(String.class, Blob.class, new EternalExpiryPolicy());
        String json = write(codecs, new Blob("b", new byte[] {1, 2, 3}));
        assertEquals("{\"value\":{\"name\":\"b\",\"data\":\":base64:AQID\"}}", json);
        assertArrayEquals(new byte[] {1, 2, 3}, ((Blob) read(codecs, json)).data());
    }

    @Test
    void untypedCachesTakeJsonTypesAndStringKeys() {
        Codecs codecs = codecs(Object.class, Object.class, new EternalExpiryPolicy());
        assertEquals(Map.of("a", List.of(1, 2.5, "::x")), read(codecs, write(codecs, Map.of("a", List.of(1, 2.5, "::x")))));
        CodecException refused = assertThrows(CodecException.class, () -> codecs.values().encode(new Dimensions(1, 2)));
        assertTrue(refused.getMessage().contains("Cache[products]") && refused.getMessage().contains(
                "declare the cache's value type as " + Dimensions.class.getName()), refused.getMessage());
        assertEquals("k1", codecs.keys().encode("k1"));
        CodecException numberKey = assertThrows(CodecException.class, () -> codecs.keys().encode(7L));
        assertTrue(numberKey.getMessage().contains("java.lang.Long"), numberKey.getMessage());
    }

    /**
     * A map or list that would come back otherwise, at any depth, is refused too: a Long that
     * would be read as an Integer, an object that would be read as a Map.
     */
    @Test
    void untypedCachesRefuseNestedValuesThatWouldComeBackAsAnotherType() {
        Codecs codecs = codecs(Object.class, Object.class, new EternalExpiryPolicy());
        for (Object value : List.of(Map.of("count", 1L), List.of(List.of(new Dimensions(1, 2))), Map.of("f", 1.5f))) {
            CodecException refused = assertThrows(CodecException.class, () -> codecs.values().encode(value), value::toString);
            assertTrue(refused.getMessage().contains("Cache[products]") && refused.getMessage().contains("would be read back as"),
                    refused.getMessage());
        }
        assertEquals(Map.of("count", 1, "big", 5_000_000_000L),
                read(codecs, write(codecs, Map.of("count", 1, "big", 5_000_000_000L))),
                "an Integer, and a Long beyond int, come back as they went");
    }

    @Test
    void integralKeysAreDecimalAsKeyvMakesThem() {
        Codecs codecs = codecs(Long.class, String.class, new EternalExpiryPolicy());
        assertEquals("42", codecs.keys().encode(42L));
        assertEquals(42L, codecs.keys().decode("42"));
        CacheException other = assertThrows(CacheException.class,
                () -> codecs(java.util.UUID.class, String.class, new EternalExpiryPolicy()));
        assertTrue(other.getMessage().contains("declare String keys"), other.getMessage());
    }

    @Test
    void aNullOrForeignEntryIsAnErrorThatNamesTheKey() {
        Codecs codecs = codecs(String.class, String.class, new EternalExpiryPolicy());
        CodecException nullValue = assertThrows(CodecException.class, () -> read(codecs, "{\"value\":null}"));
        assertTrue(nullValue.getMessage().contains("'products::products:p1'"), nullValue.getMessage());
        assertThrows(CodecException.class, () -> read(codecs, "\"not keyv\""));
    }

    @Test
    void policiesWhoseTtlAWriteCannotStateAreRefused() {
        for (ExpiryPolicy policy : List.of(CreatedExpiryPolicy.factoryOf(MINUTE).create(),
                AccessedExpiryPolicy.factoryOf(MINUTE).create(), TouchedExpiryPolicy.factoryOf(MINUTE).create(),
                new CustomPolicy())) {
            CacheException refused = assertThrows(CacheException.class, () -> codecs(String.class, String.class, policy));
            assertTrue(refused.getMessage().startsWith("Cache[products] uses format=keyv")
                    && refused.getMessage().contains("use ModifiedExpiryPolicy"), refused.getMessage());
        }
    }

    @Test
    void aNearCacheIsRefused() {
        CacheException refused = assertThrows(CacheException.class, () -> KeyvFormat.codecs("products", String.class,
                String.class, new ExpiryDecisions(new EternalExpiryPolicy()), true, LOADER));
        assertTrue(refused.getMessage().contains("withoutNearCache()"), refused.getMessage());
    }
}
