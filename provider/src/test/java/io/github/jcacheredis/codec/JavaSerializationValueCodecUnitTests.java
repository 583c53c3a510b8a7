package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JavaSerializationValueCodecUnitTests {

    private static final ClassLoader LOADER = JavaSerializationValueCodecUnitTests.class.getClassLoader();

    private static ValueCodec codec(List<String> allowedPackages) {
        return Codecs.create("regions", Object.class, Object.class, CodecKind.JAVA, allowedPackages, LOADER).values();
    }

    @Test
    void serializableValuesOfAllowedPackagesRoundTrip() {
        ValueCodec codec = codec(List.of("io.github.jcacheredis.codec"));
        Map<String, Object> map = new HashMap<>();
        map.put("entry", new Entry("x", 2L));
        Object back = codec.decode(codec.encode(map), "regions:1");
        assertEquals(map, back);
    }

    @Test
    void aStreamNamingAClassOutsideTheAllowlistIsRejectedBeforeInstantiation() throws IOException {
        ValueCodec codec = codec(List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Gadget());
        }
        int before = Gadget.CONSTRUCTED.get();
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes.toByteArray(), "regions:evil"));
        assertTrue(e.getMessage().contains("regions:evil"), e.getMessage());
        assertTrue(e.getMessage().contains(Gadget.class.getName() + ", which is neither declared"), e.getMessage());
        assertEquals(before, Gadget.CONSTRUCTED.get());
    }

    /** Hibernate caches an entity as its state in a Serializable[], next to Hibernate's own wrappers. */
    @Test
    void stateHeldInASerializableArrayRoundTrips() {
        ValueCodec codec = codec(List.of("io.github.jcacheredis.codec"));
        Holder entry = new Holder(new Serializable[] {42L, "title", new BigDecimal("19.90"), Kind.BOOK,
                UUID.fromString("6b1f0e0a-7c5e-4a35-9a43-3c43d1f0b2a7"), null});
        Holder back = (Holder) codec.decode(codec.encode(entry), "regions:42");
        assertArrayEquals((Serializable[]) entry.content, (Serializable[]) back.content);
    }

    /** A nested class the reading side would refuse fails the put, named, instead of every later get. */
    @Test
    void aPutIsRefusedWhenAPartOfTheValueCouldNotBeReadBack() {
        ValueCodec codec = codec(List.of("io.github.jcacheredis.codec"));
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encode(new Holder(new Serializable[] {1L, new File("notes.txt")})));
        assertTrue(e.getMessage().contains("refuses a value of type " + Holder.class.getName()
                + ", which contains a java.io.File,"), e.getMessage());
        assertTrue(e.getMessage().contains("add its package to allowed-packages"), e.getMessage());
    }

    @Test
    void aValueHoldingAClassOutsideTheAllowlistIsRefusedAtPut() {
        ValueCodec codec = codec(List.of());
        Map<String, Object> map = new HashMap<>();
        map.put("entry", new Entry("x", 2L));
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(map));
        assertTrue(e.getMessage().contains(Entry.class.getName()), e.getMessage());
    }

    @Test
    void aValueThatIsNotSerializableFailsWithAClearMessage() {
        ValueCodec codec = codec(List.of("io.github.jcacheredis.codec"));
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new Holder(new Object())));
        assertTrue(e.getMessage().contains("not Serializable"), e.getMessage());
    }

    record Entry(String name, long version) implements Serializable {
    }

    enum Kind { BOOK }

    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        final Object content;

        Holder(Object content) {
            this.content = content;
        }
    }

    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger CONSTRUCTED = new AtomicInteger();

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            CONSTRUCTED.incrementAndGet();
        }
    }
}
