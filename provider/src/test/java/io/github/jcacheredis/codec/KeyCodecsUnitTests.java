package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyCodecsUnitTests {

    private static final ClassLoader LOADER = KeyCodecsUnitTests.class.getClassLoader();

    private static KeyCodec codec(Class<?> keyType) {
        return Codecs.create("c", keyType, Object.class, CodecKind.JSON, List.of("io.github.jcacheredis"), LOADER).keys();
    }

    @Test
    void typedStringAndNumberKeysAreVerbatim() {
        assertEquals("42", codec(String.class).encode("42"));
        assertEquals("#weird", codec(String.class).encode("#weird"));
        assertEquals("42", codec(Long.class).encode(42L));
        assertEquals(42L, codec(Long.class).decode("42"));
        assertEquals(-7, codec(Integer.class).decode(codec(Integer.class).encode(-7)));
    }

    @Test
    void untypedKeysOfDifferentTypesNeverCollide() {
        KeyCodec keys = codec(Object.class);
        List<Object> samples = List.of("1", 1, 1L, (short) 1, (byte) 1, '1', true, "true", "#i:1", "#", "##",
                UUID.fromString("00000000-0000-0000-0000-000000000001"), new Point(1, 2), "");
        Set<String> encoded = new HashSet<>();
        for (Object key : samples) {
            String encodedKey = keys.encode(key);
            encoded.add(encodedKey);
            assertEquals(key, keys.decode(encodedKey), "round trip of " + key + " via " + encodedKey);
            assertEquals(key.getClass(), keys.decode(encodedKey).getClass());
        }
        assertEquals(samples.size(), encoded.size());
    }

    @Test
    void untypedStringKeysStayReadable() {
        assertEquals("user:42", codec(Object.class).encode("user:42"));
        assertEquals("#i:42", codec(Object.class).encode(42));
    }

    @Test
    void equalObjectKeysMapToOneEncodedKeyWhateverTheirTransientState() {
        KeyCodec keys = codec(Object.class);
        Ticket a = new Ticket("A-1");
        Ticket b = new Ticket("A-1");
        assertNotEquals(a.loadedAt, b.loadedAt + 1);
        assertEquals(keys.encode(a), keys.encode(b));
        assertEquals(a, keys.decode(keys.encode(a)));
    }

    /**
     * Hibernate's cache keys carry a precomputed hash code, which for an enum in a natural id or a
     * query parameter is an identity hash and so differs between JVMs: equal keys built by two
     * instances of an application must still be one Redis key.
     */
    @Test
    void aCachedHashCodeIsLeftOutSoEqualKeysFromTwoJvmsAreOneKey() {
        KeyCodec keys = codec(Object.class);
        String here = keys.encode(new HashedKey("books", 7));
        String elsewhere = keys.encode(new HashedKey("books", 1_234_567));
        assertEquals(here, elsewhere);
        assertFalse(here.contains("hashCode"), here);
        assertNotEquals(here, keys.encode(new HashedKey("authors", 7)));
        assertEquals("books", ((HashedKey) keys.decode(here)).region);
    }

    record Point(int x, int y) {
    }

    /** A key with a cached hash code, as Hibernate's are; the hash passed in stands for another JVM's. */
    static final class HashedKey {
        private final String region;
        private final int hashCode;

        HashedKey(String region, int hashCode) {
            this.region = region;
            this.hashCode = hashCode;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashedKey k && k.region.equals(region);
        }

        @Override
        public int hashCode() {
            return hashCode;
        }
    }

    /** Equality by id; a transient field that differs between equal instances. */
    static final class Ticket {
        private final String id;
        private final transient long loadedAt = System.nanoTime();

        Ticket(String id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ticket t && t.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }
}
