package io.github.jcacheredis.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;

/**
 * Writes the values of one declared position of a canonical collection (its elements, or a map's
 * keys or values) as Jackson writes a field of that type: with a type id unless the declared type
 * is final, so {@code 1}, {@code 1L} and {@code "1"} stay apart inside collections too.
 */
final class PositionWriter {

    private final JavaType declaredType;
    private final TypeSerializer typeSerializer;
    private final BeanProperty property;

    private PositionWriter(JavaType declaredType, TypeSerializer typeSerializer, BeanProperty property) {
        this.declaredType = declaredType;
        this.typeSerializer = typeSerializer;
        this.property = property;
    }

    static PositionWriter of(SerializerProvider provider, JavaType declaredType, BeanProperty property)
            throws JsonMappingException {
        return new PositionWriter(declaredType, provider.findTypeSerializer(declaredType), property);
    }

    void write(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (value == null) {
            provider.defaultSerializeNull(gen);
            return;
        }
        JavaType type = declaredType.hasGenericTypes()
                ? provider.constructSpecializedType(declaredType, value.getClass())
                : provider.constructType(value.getClass());
        JsonSerializer<Object> serializer = provider.findContentValueSerializer(type, property);
        if (typeSerializer == null) {
            serializer.serialize(value, gen, provider);
        } else {
            serializer.serializeWithType(value, gen, provider, typeSerializer);
        }
    }
}
