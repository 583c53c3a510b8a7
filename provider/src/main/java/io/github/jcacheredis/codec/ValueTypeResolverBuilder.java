package io.github.jcacheredis.codec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;

/**
 * Adds type ids to every non-final declared type, as Jackson's NON_FINAL default typing does, except
 * BigDecimal and BigInteger: nobody subclasses them, and {@code "price":249.00} reads better than
 * {@code "price":["java.math.BigDecimal",249.00]}. In an Object-typed position they keep their id.
 */
final class ValueTypeResolverBuilder extends ObjectMapper.DefaultTypeResolverBuilder {

    private static final long serialVersionUID = 1L;

    private final transient TypeAllowlist allowlist;
    private final boolean canonicalCollectionIds;

    private ValueTypeResolverBuilder(PolymorphicTypeValidator validator, TypeAllowlist allowlist,
                                     boolean canonicalCollectionIds) {
        super(ObjectMapper.DefaultTyping.NON_FINAL, validator);
        this.allowlist = allowlist;
        this.canonicalCollectionIds = canonicalCollectionIds;
    }

    /** Type ids for values: every id written is checked against {@code allowlist}. */
    static ValueTypeResolverBuilder forValues(PolymorphicTypeValidator validator, TypeAllowlist allowlist) {
        return new ValueTypeResolverBuilder(validator, allowlist, false);
    }

    /**
     * Type ids for keys: any id may be written (keys are read back only for iteration and events),
     * and the interface ids of canonical lists, sets and maps are read by {@link CanonicalCollectionIds}.
     */
    static ValueTypeResolverBuilder forKeys(PolymorphicTypeValidator validator) {
        return new ValueTypeResolverBuilder(validator, null, true);
    }

    /**
     * On writing, every type id is checked against the allowlist, so a value holding an object of a
     * type that could not be read back is refused at put, not on every later get.
     */
    @Override
    protected TypeIdResolver idResolver(MapperConfig<?> config, JavaType baseType,
                                        PolymorphicTypeValidator subtypeValidator, Collection<NamedType> subtypes,
                                        boolean forSer, boolean forDeser) {
        TypeIdResolver resolver = canonicalCollectionIds && forDeser
                ? new CanonicalCollectionIds(baseType, config.getTypeFactory(), subtypeValidator)
                : super.idResolver(config, baseType, subtypeValidator, subtypes, forSer, forDeser);
        return forSer && allowlist != null ? new CheckedIds(resolver, allowlist) : resolver;
    }

    /** Refuses to write the id of a type the allowlist would refuse to read. */
    private static final class CheckedIds extends TypeIdResolverBase {

        private final TypeIdResolver delegate;
        private final TypeAllowlist allowlist;

        CheckedIds(TypeIdResolver delegate, TypeAllowlist allowlist) {
            this.delegate = delegate;
            this.allowlist = allowlist;
        }

        @Override
        public void init(JavaType baseType) {
            delegate.init(baseType);
        }

        @Override
        public String idFromValue(Object value) {
            check(value.getClass());
            return delegate.idFromValue(value);
        }

        @Override
        public String idFromValueAndType(Object value, Class<?> suggestedType) {
            check(suggestedType);
            return delegate.idFromValueAndType(value, suggestedType);
        }

        @Override
        public String idFromBaseType() {
            return delegate.idFromBaseType();
        }

        @Override
        public JavaType typeFromId(DatabindContext context, String id) throws java.io.IOException {
            return delegate.typeFromId(context, id);
        }

        @Override
        public JsonTypeInfo.Id getMechanism() {
            return delegate.getMechanism();
        }

        private void check(Class<?> type) {
            if (type != null && !allowlist.isAllowed(type)) {
                throw new IllegalArgumentException("a value of type " + type.getName() + " could not be read back:"
                        + " the type is neither declared for this cache nor in its allowed-packages");
            }
        }
    }

    @Override
    public boolean useForType(JavaType type) {
        if (type.hasRawClass(BigDecimal.class) || type.hasRawClass(BigInteger.class)) {
            return false;
        }
        return super.useForType(type);
    }
}
