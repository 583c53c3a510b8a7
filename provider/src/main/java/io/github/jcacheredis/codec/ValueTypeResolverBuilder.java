package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Adds type ids to every non-final declared type, as Jackson's NON_FINAL default typing does, except
 * BigDecimal and BigInteger: nobody subclasses them, and {@code "price":249.00} reads better than
 * {@code "price":["java.math.BigDecimal",249.00]}. In an Object-typed position they keep their id.
 */
final class ValueTypeResolverBuilder extends ObjectMapper.DefaultTypeResolverBuilder {

    private static final long serialVersionUID = 1L;

    ValueTypeResolverBuilder(PolymorphicTypeValidator validator) {
        super(ObjectMapper.DefaultTyping.NON_FINAL, validator);
    }

    @Override
    public boolean useForType(JavaType type) {
        if (type.hasRawClass(BigDecimal.class) || type.hasRawClass(BigInteger.class)) {
            return false;
        }
        return super.useForType(type);
    }
}
