package io.github.jcacheredis.codec;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import java.util.List;
import java.util.Set;

/**
 * Makes the key mapper's JSON canonical, so that keys equal by {@code equals()} give equal bytes:
 * every {@link List}, {@link Set} and {@link java.util.Map}, at any depth, is written by content
 * under its interface's type id (see {@link CanonicalContainerSerializer}), and a cached hash code
 * is left out ({@link CachedHashCodeOmitter}). Reading gives an {@code ArrayList}, a {@code HashSet}
 * and a {@code LinkedHashMap} (in encoded order), or the class a field declares.
 */
final class CanonicalKeyModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    CanonicalKeyModule() {
        super("jcache-redis-canonical-keys");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addBeanSerializerModifier(new CachedHashCodeOmitter());
        context.addBeanSerializerModifier(new Containers());
        context.addDeserializers(new MapReaders());
    }

    /** Puts the canonical serializers in place of Jackson's for lists, sets and maps. */
    private static final class Containers extends BeanSerializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType valueType,
                                                            BeanDescription beanDesc, JsonSerializer<?> serializer) {
            if (List.class.isAssignableFrom(valueType.getRawClass())) {
                return CanonicalCollectionSerializer.forList(valueType);
            }
            if (Set.class.isAssignableFrom(valueType.getRawClass())) {
                return CanonicalCollectionSerializer.forSet(valueType);
            }
            return serializer; // a queue or deque: equal only to itself, written as Jackson writes it
        }

        @Override
        public JsonSerializer<?> modifyMapSerializer(SerializationConfig config, MapType valueType,
                                                     BeanDescription beanDesc, JsonSerializer<?> serializer) {
            return CanonicalMapSerializer.forMap(valueType);
        }
    }

    /** Reads every map of a key as {@link CanonicalMapSerializer} writes it. */
    private static final class MapReaders extends Deserializers.Base {

        @Override
        public JsonDeserializer<?> findMapDeserializer(MapType type, DeserializationConfig config, BeanDescription beanDesc,
                                                       KeyDeserializer keyDeserializer, TypeDeserializer elementTypeDeserializer,
                                                       JsonDeserializer<?> elementDeserializer) {
            return new CanonicalMapDeserializer(type);
        }
    }
}
