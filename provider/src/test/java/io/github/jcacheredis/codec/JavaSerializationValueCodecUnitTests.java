package io.github.jcacheredis.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        assertEquals(before, Gadget.CONSTRUCTED.get());
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
