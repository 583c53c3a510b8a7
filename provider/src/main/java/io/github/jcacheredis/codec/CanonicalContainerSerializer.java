package io.github.jcacheredis.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.WritableTypeId;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes a list, set or map of a key as a JSON array of its elements, whatever its class: the type
 * id names only the interface ({@value #LIST_ID}, {@value #SET_ID}, {@value #MAP_ID}), and the
 * elements of sets and entries of maps are sorted by their encoded text, so equal containers give
 * equal bytes in every JVM, whatever order they iterate in.
 */
abstract class CanonicalContainerSerializer<T> extends StdSerializer<T> implements ContextualSerializer {

    static final String LIST_ID = "java.util.List";
    static final String SET_ID = "java.util.Set";
    static final String MAP_ID = "java.util.Map";

    private static final long serialVersionUID = 1L;

    // renders the elements of an unordered container one by one, so they can be sorted before they are written
    private static final JsonFactory ELEMENT_TEXT = new JsonFactory();

    private final String typeId;
    private final boolean unordered;

    CanonicalContainerSerializer(JavaType type, String typeId, boolean unordered) {
        super(type);
        this.typeId = typeId;
        this.unordered = unordered;
    }

    /** The elements to write: a collection's own, or a map's entries. */
    abstract Collection<?> elements(T value);

    /** Writes one element; asked once for each container written. */
    abstract ElementWriter elementWriter(SerializerProvider provider) throws JsonMappingException;

    @Override
    public final void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartArray(value);
        writeElements(value, gen, provider);
        gen.writeEndArray();
    }

    @Override
    public final void serializeWithType(T value, JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer)
            throws IOException {
        WritableTypeId id = typeSer.typeId(value, JsonToken.START_ARRAY);
        id.id = typeId; // the interface, never the implementation class
        WritableTypeId written = typeSer.writeTypePrefix(gen, id);
        writeElements(value, gen, provider);
        typeSer.writeTypeSuffix(gen, written);
    }

    private void writeElements(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        ElementWriter writer = elementWriter(provider);
        if (!unordered) {
            for (Object element : elements(value)) {
                writer.write(element, gen);
            }
            return;
        }
        List<String> sorted = new ArrayList<>();
        for (Object element : elements(value)) {
            StringWriter text = new StringWriter();
            try (JsonGenerator elementGen = ELEMENT_TEXT.createGenerator(text)) {
                writer.write(element, elementGen);
            }
            sorted.add(text.toString());
        }
        sorted.sort(null);
        for (String element : sorted) {
            gen.writeRawValue(element);
        }
    }

    /** Writes one element of a container to a generator. */
    @FunctionalInterface
    interface ElementWriter {
        void write(Object element, JsonGenerator gen) throws IOException;
    }
}
