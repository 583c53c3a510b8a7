package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.util.Collection;

/**
 * A list in its order, {@code ["java.util.List",["b","a"]]}, or a set sorted by encoded element,
 * {@code ["java.util.Set",["a","b"]]}.
 */
final class CanonicalCollectionSerializer extends CanonicalContainerSerializer<Collection<?>> {

    private static final long serialVersionUID = 1L;

    private final JavaType type;
    private final boolean set;
    private final transient PositionWriter elements;

    private CanonicalCollectionSerializer(JavaType type, boolean set, PositionWriter elements) {
        super(type, set ? SET_ID : LIST_ID, set);
        this.type = type;
        this.set = set;
        this.elements = elements;
    }

    static CanonicalCollectionSerializer forList(JavaType type) {
        return new CanonicalCollectionSerializer(type, false, null);
    }

    static CanonicalCollectionSerializer forSet(JavaType type) {
        return new CanonicalCollectionSerializer(type, true, null);
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
            throws JsonMappingException {
        return new CanonicalCollectionSerializer(type, set, PositionWriter.of(provider, type.getContentType(), property));
    }

    @Override
    Collection<?> elements(Collection<?> value) {
        return value;
    }

    @Override
    ElementWriter elementWriter(SerializerProvider provider) throws JsonMappingException {
        PositionWriter writer = elements != null ? elements : PositionWriter.of(provider, type.getContentType(), null);
        return (element, gen) -> writer.write(element, gen, provider);
    }
}
