package io.github.jcacheredis.keyv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jcacheredis.codec.CodecException;
import io.github.jcacheredis.codec.ValueCodec;
import io.github.jcacheredis.storage.Ttl;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A value as {@code @keyv/redis} stores it: {@code {"value":<json>}}, with
 * {@code "expires":<epoch ms>} when the cache's writes set a TTL. The JSON carries no type ids: it
 * is read as the cache's declared value type, the way a Node.js service wrote it, so a put of a
 * value that would come back as another type is refused. java.time values are ISO-8601 strings,
 * which is also what a JavaScript {@code Date} becomes.
 */
final class KeyvValueCodec implements ValueCodec {

    private static final String VALUE = "value";
    private static final String EXPIRES = "expires";

    /** What an untyped cache reads back as the same type: JSON's own types. */
    private static final List<Class<?>> JSON_TYPES = List.of(String.class, Boolean.class, Integer.class,
            Double.class, Map.class, List.class);

    private final String cacheName;
    private final Class<?> declaredType;
    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final boolean readsJsonContainers;
    private final long ttlMillis;
    private final LongSupplier clock;

    /**
     * @param ttlMillis the TTL every write sets, or {@link Ttl#ETERNAL}
     * @param clock     epoch milliseconds, for {@code "expires"}
     */
    KeyvValueCodec(String cacheName, Class<?> declaredType, ObjectMapper mapper, long ttlMillis, LongSupplier clock) {
        this.cacheName = cacheName;
        this.declaredType = declaredType;
        this.mapper = mapper;
        this.reader = mapper.readerFor(declaredType);
        // a declared class of its own (a record, a List subclass) says by its fields and type
        // arguments what it holds; Object, Map and List are read as JSON's own types throughout
        this.readsJsonContainers = declaredType == Object.class || declaredType == Map.class
                || declaredType == List.class || declaredType == Collection.class;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    @Override
    public byte[] encode(Object value) {
        if (!readsBackAsItself(value.getClass())) {
            throw new CodecException("Cache[" + cacheName + "] uses format=keyv, whose values carry no type ids, and"
                    + " refuses a value of type " + value.getClass().getName() + ": it would be read back as "
                    + declaredType.getName() + "; declare the cache's value type as " + value.getClass().getName());
        }
        try {
            JsonNode json = mapper.valueToTree(value);
            if (readsJsonContainers && (value instanceof Map || value instanceof List)
                    && !value.equals(reader.readValue(mapper.writeValueAsBytes(json)))) {
                // a map or list read as JSON's own types compares by content, read back from the
                // text as a reader would see it: what it holds would come back as other types
                throw new CodecException("Cache[" + cacheName + "] uses format=keyv, whose values carry no type ids,"
                        + " and refuses this " + value.getClass().getName() + ": what it holds would be read back as"
                        + " JSON's own types (String, Boolean, Integer, Long, Double, Map, List); declare a type"
                        + " for the cache's values whose fields say what they hold");
            }
            ObjectNode entry = JsonNodeFactory.instance.objectNode();
            entry.set(VALUE, KeyvStrings.escape(json));
            if (Ttl.isMillis(ttlMillis)) {
                entry.put(EXPIRES, clock.getAsLong() + ttlMillis);
            }
            return mapper.writeValueAsBytes(entry);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CodecException refused) {
                throw refused;
            }
            throw new CodecException("Cache[" + cacheName + "] cannot write a value of type "
                    + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] bytes, String redisKey) {
        Object value;
        try {
            JsonNode entry = mapper.readTree(bytes);
            JsonNode json = entry == null || !entry.isObject() ? null : entry.get(VALUE);
            if (json == null || json.isNull()) {
                throw new CodecException("Cache[" + cacheName + "] found no keyv value ({\"value\":...}, not null) at"
                        + " Redis key '" + redisKey + "'");
            }
            value = reader.readValue(KeyvStrings.unescape(json));
        } catch (IOException | RuntimeException e) {
            if (e instanceof CodecException codecException) {
                throw codecException;
            }
            throw new CodecException("Cache[" + cacheName + "] cannot read the keyv value at Redis key '" + redisKey
                    + "' as " + declaredType.getName() + ": " + e.getMessage(), e);
        }
        if (!declaredType.isInstance(value)) {
            throw new CodecException("Cache[" + cacheName + "] found " + value.getClass().getName() + " at Redis key '"
                    + redisKey + "' where a " + declaredType.getName() + " was expected");
        }
        return value;
    }

    /** True when a value of {@code type} read as the declared type comes back as the same type. */
    private boolean readsBackAsItself(Class<?> type) {
        if (type == declaredType) {
            return true;
        }
        return declaredType.isAssignableFrom(type) && JSON_TYPES.stream().anyMatch(t -> t.isAssignableFrom(type));
    }
}
