package io.github.jcacheredis.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Builds the Jackson mappers behind the JSON codecs. Objects are mapped by their fields (as Java
 * serialization does, so what goes in comes back, getters or not), transient fields are skipped,
 * java.time values are ISO-8601 strings, and every non-final declared type carries an
 * {@code "@class"} type id checked against the {@link TypeAllowlist} when read.
 */
final class JsonMappers {

    private JsonMappers() {
    }

    /** The mapper for values. */
    static ObjectMapper forValues(TypeAllowlist allowlist) {
        return builder(allowlist, ValueTypeResolverBuilder.forValues(new AllowlistTypeValidator(allowlist), allowlist))
                .build();
    }

    /**
     * The mapper for keys: properties sorted, lists, sets and maps written by content and cached
     * hash codes left out ({@link CanonicalKeyModule}), so equal keys give equal JSON, in every JVM.
     */
    static ObjectMapper forKeys(TypeAllowlist allowlist) {
        // keys are only read back for iteration and events, so writing one is never refused
        return builder(allowlist, ValueTypeResolverBuilder.forKeys(new AllowlistTypeValidator(allowlist)))
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .addModule(new CanonicalKeyModule())
                .build();
    }

    /**
     * A mapper for JSON that other programs write and read: mapped by fields like the others, but
     * without type ids, so it only ever instantiates the type it is asked for and the declared
     * types of its fields.
     */
    static ObjectMapper withoutTypeIds(ClassLoader classLoader) {
        return plainBuilder(classLoader).build();
    }

    private static JsonMapper.Builder builder(TypeAllowlist allowlist, ValueTypeResolverBuilder typing) {
        return plainBuilder(allowlist.classLoader())
                .setDefaultTyping(typing
                        .init(JsonTypeInfo.Id.CLASS, null)
                        .inclusion(JsonTypeInfo.As.PROPERTY));
    }

    private static JsonMapper.Builder plainBuilder(ClassLoader classLoader) {
        SimpleModule instantiators = new SimpleModule("jcache-redis-instantiators") {
            private static final long serialVersionUID = 1L;

            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addValueInstantiators(new ConstructorlessInstantiators());
                context.addBeanDeserializerModifier(new ReadResolveModifier());
            }
        };
        return JsonMapper.builder()
                .typeFactory(TypeFactory.defaultInstance().withClassLoader(classLoader))
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(instantiators)
                .visibility(PropertyAccessor.ALL, Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }
}
