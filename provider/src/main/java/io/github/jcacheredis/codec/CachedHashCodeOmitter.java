package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import java.util.List;

/**
 * Leaves a key's cached hash code (an {@code int hashCode} field, as Hibernate's cache keys have)
 * out of its JSON. It is derived from the other fields, so equal keys still give equal JSON without
 * it; and where it comes from identity hash codes (an enum in a natural id or a query parameter) it
 * differs between JVMs, so with it no instance would ever find another instance's entry.
 */
final class CachedHashCodeOmitter extends BeanSerializerModifier {

    private static final long serialVersionUID = 1L;

    private static final String FIELD = "hashCode";

    @Override
    public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription beanDesc,
                                                     List<BeanPropertyWriter> beanProperties) {
        beanProperties.removeIf(property -> FIELD.equals(property.getName())
                && property.getType().hasRawClass(int.class));
        return beanProperties;
    }
}
