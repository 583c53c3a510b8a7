package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.util.Collection;
import java.util.Map;

/**
 * A map as {@code [key, value]} pairs sorted by their encoded text:
 * {@code ["java.util.Map",[[1,"one"],[2,"two"]]]}. Pairs rather than a JSON object, so that keys
 * keep their type ({@code 1}, {@code 1L} and {@code "1"} are three keys) and any key comes back.
 */
final class CanonicalMapSerializer extends CanonicalContainerSerializer<Map<?, ?>> {

    private static final long serialVersionUID = 1L;

    private final JavaType type;
    private final transient PositionWriter keys;
    private final transient PositionWriter values;

    private CanonicalMapSerializer(JavaType type, PositionWriter keys, PositionWriter values) {
        super(type, MAP_ID, true);
        this.type = type;
        this.keys = keys;
        this.values = values;
    }

    static CanonicalMapSerializer forMap(JavaType type) {
        return new CanonicalMapSerializer(type, null, null);
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
            throws JsonMappingException {
        return new CanonicalMapSerializer(type, PositionWriter.of(provider, type.getKeyType(), property),
                PositionWriter.of(provider, type.getContentType(), property));
    }

    @Override
    Collection<?> elements(Map<?, ?> value) {
        return value.entrySet();
    }

    @Override
    ElementWriter elementWriter(SerializerProvider provider) throws JsonMappingException {
        PositionWriter keyWriter = keys != null ? keys : PositionWriter.of(provider, type.getKeyType(), null);
        PositionWriter valueWriter = values != null ? values : PositionWriter.of(provider, type.getContentType(), null);
        return (element, gen) -> {
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) element;
            gen.writeStartArray();
            keyWriter.write(entry.getKey(), gen, provider);
            valueWriter.write(entry.getValue(), gen, provider);
            gen.writeEndArray();
        };
    }
}
