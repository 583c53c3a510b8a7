package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.impl.ClassNameIdResolver;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the type ids of canonical lists, sets and maps in keys, which name only the interface. In
 * a position declared with a type of that kind ({@code ArrayList<String>}, {@code SortedSet},
 * {@code HashMap<Integer, String>}) the declared type is built, so the field gets the class it
 * declares; anywhere else ({@code Object}, {@code Collection}) the interface, which Jackson builds
 * as its default implementation. Every other id is resolved and allowlisted as before.
 */
final class CanonicalCollectionIds extends ClassNameIdResolver {

    private static final long serialVersionUID = 1L;

    private static final Map<String, Class<?>> KINDS = Map.of(
            CanonicalContainerSerializer.LIST_ID, List.class,
            CanonicalContainerSerializer.SET_ID, Set.class,
            CanonicalContainerSerializer.MAP_ID, Map.class);

    CanonicalCollectionIds(JavaType baseType, TypeFactory typeFactory, PolymorphicTypeValidator validator) {
        super(baseType, typeFactory, validator);
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) throws IOException {
        Class<?> kind = KINDS.get(id);
        if (kind != null && _baseType != null && kind.isAssignableFrom(_baseType.getRawClass())) {
            return _baseType; // declared by the application's class, not chosen by the payload
        }
        return super.typeFromId(context, id);
    }
}
