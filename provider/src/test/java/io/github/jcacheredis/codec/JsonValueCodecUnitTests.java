package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JsonValueCodecUnitTests {

    private static final ClassLoader LOADER = JsonValueCodecUnitTests.class.getClassLoader();

    private static ValueCodec codec(Class<?> valueType, String... allowedPackages) {
        return Codecs.create("pets", String.class, valueType, CodecKind.JSON, List.of(allowedPackages), LOADER).values();
    }

    private static String json(ValueCodec codec, Object value) {
        return new String(codec.encode(value), StandardCharsets.UTF_8);
    }

    @Test
    void finalTypedValuesAreBareJson() {
        ValueCodec codec = codec(Product.class);
        Product product = new Product(42, "Widget", Instant.parse("2026-01-02T03:04:05.123456Z"), LocalDate.of(2026, 1, 2));
        String json = json(codec, product);
        assertEquals("{\"id\":42,\"name\":\"Widget\",\"added\":\"2026-01-02T03:04:05.123456Z\",\"due\":\"2026-01-02\"}", json);
        assertEquals(product, codec.decode(json.getBytes(StandardCharsets.UTF_8), "pets:42"));
    }

    @Test
    void bigDecimalFieldsStayPlainNumbersAndKeepTheirScale() {
        ValueCodec codec = codec(Price.class);
        assertEquals("{\"amount\":249.00}", json(codec, new Price(new BigDecimal("249.00"))));
        assertEquals(new Price(new BigDecimal("249.00")), codec.decode(codec.encode(new Price(new BigDecimal("249.00"))), "k"));
        ValueCodec untyped = codec(Object.class);
        assertEquals(new BigDecimal("1.50"), untyped.decode(untyped.encode(new BigDecimal("1.50")), "k"));
    }

    @Test
    void subclassesComeBackAsTheSubclass() {
        ValueCodec codec = codec(Animal.class);
        Animal dog = new Dog("Rex", 7);
        String json = json(codec, dog);
        assertTrue(json.contains("\"@class\":\"" + Dog.class.getName() + "\""), json);
        Object back = codec.decode(codec.encode(dog), "pets:rex");
        assertInstanceOf(Dog.class, back);
        assertEquals(7, ((Dog) back).barks);
        assertEquals("Rex", ((Dog) back).name);
    }

    @Test
    void untypedValuesKeepTheirJavaType() {
        ValueCodec codec = codec(Object.class, "io.github.jcacheredis");
        List<Object> samples = List.of(1, 1L, 1.5d, 1.5f, "text", true, Instant.ofEpochSecond(5), new Date(1000),
                LocalDate.of(2020, 2, 29), new ArrayList<>(List.of(1L, "a")), new HashMap<>(Map.of("k", 2L)),
                new Product(1, "p", Instant.EPOCH, LocalDate.EPOCH), new Dog("d", 1));
        for (Object value : samples) {
            Object back = codec.decode(codec.encode(value), "k");
            assertEquals(value.getClass(), back.getClass(), "type of " + value);
            if (!(value instanceof Dog)) {
                assertEquals(value, back);
            }
        }
    }

    @Test
    void readResolveGivesBackTheCanonicalInstance() {
        ValueCodec codec = codec(Object.class, "io.github.jcacheredis");
        assertSame(Marker.INSTANCE, codec.decode(codec.encode(Marker.INSTANCE), "k"));
    }

    @Test
    void objectsWithoutDefaultConstructorRoundTripByTheirFields() {
        ValueCodec codec = codec(Object.class, "io.github.jcacheredis");
        NoDefaultConstructor value = new NoDefaultConstructor("only", 3);
        NoDefaultConstructor back = (NoDefaultConstructor) codec.decode(codec.encode(value), "k");
        assertEquals("only", back.name);
        assertEquals(3, back.count);
    }

    @Test
    void aPayloadNamingAClassOutsideTheAllowlistIsRefusedUninitialised() {
        ValueCodec codec = codec(Object.class);
        String poisoned = "{\"@class\":\"" + Gadget.class.getName() + "\",\"command\":\"rm -rf /\"}";
        CodecException e = assertThrows(CodecException.class,
                () -> codec.decode(poisoned.getBytes(StandardCharsets.UTF_8), "pets:evil"));
        assertTrue(e.getMessage().contains("pets:evil"), e.getMessage());
        assertEquals(0, GadgetProbe.INITIALISED.get(), "the refused class must never be initialised");
    }

    @Test
    void aValueThatCouldNotBeReadBackIsRefusedAtPut() {
        ValueCodec codec = codec(Object.class);
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new Dog("x", 1)));
        assertTrue(e.getMessage().contains("allowed-packages"), e.getMessage());
    }

    @Test
    void aValueHoldingAnObjectThatCouldNotBeReadBackIsRefusedAtPutToo() {
        ValueCodec codec = codec(Object.class);
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encode(new ArrayList<>(List.of(new Dog("nested", 1)))));
        assertTrue(e.getMessage().contains(Dog.class.getName()), e.getMessage());
    }

    @Test
    void aValueJacksonCannotWriteFailsWithTheCacheNamed() {
        ValueCodec codec = codec(Object.class, "io.github.jcacheredis");
        SelfReferencing loop = new SelfReferencing();
        loop.next = loop;
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(loop));
        assertTrue(e.getMessage().contains("Cache[pets]"), e.getMessage());
    }

    @Test
    void aHandWrittenValueOfTheWrongShapeIsAClearError() {
        ValueCodec codec = codec(Product.class);
        CodecException e = assertThrows(CodecException.class,
                () -> codec.decode("[1,2,3]".getBytes(StandardCharsets.UTF_8), "pets:1"));
        assertTrue(e.getMessage().contains(Product.class.getName()), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    record Product(long id, String name, Instant added, LocalDate due) {
    }

    record Price(BigDecimal amount) {
    }

    abstract static class Animal {
        String name;
    }

    static final class Dog extends Animal {
        int barks;

        Dog(String name, int barks) {
            this.name = name;
            this.barks = barks;
        }
    }

    static final class NoDefaultConstructor {
        private final String name;
        private final int count;

        NoDefaultConstructor(String name, int count) {
            this.name = name;
            this.count = count;
        }
    }

    /** A singleton in the style of Spring's NullValue. */
    static final class Marker implements java.io.Serializable {
        static final Marker INSTANCE = new Marker();
        private static final long serialVersionUID = 1L;

        private Marker() {
        }

        private Object readResolve() {
            return INSTANCE;
        }
    }

    static final class SelfReferencing {
        SelfReferencing next;
    }

    /** Stands for a class an attacker would like instantiated. */
    public static final class Gadget {
        static {
            GadgetProbe.INITIALISED.incrementAndGet();
        }

        String command;
    }

    /** Counts Gadget's initialisations; reading it does not initialise Gadget. */
    static final class GadgetProbe {
        static final AtomicInteger INITIALISED = new AtomicInteger();
    }
}
