package io.github.jcacheredis.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.util.ClassUtil;
import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Reads a map of a key from the {@code [key, value]} pairs {@link CanonicalMapSerializer} writes,
 * into the declared map class, or a {@link LinkedHashMap} in encoded order where the declared type
 * is an interface ({@link TreeMap} for a sorted one). Also reads the JSON object form that keys
 * had before maps were canonical, so entries put then can still be iterated.
 */
final class CanonicalMapDeserializer extends StdDeserializer<Map<Object, Object>> implements ContextualDeserializer {

    private static final long serialVersionUID = 1L;

    // for an interface or a class without a no-argument constructor: the first one of its kind
    private static final List<Class<?>> DEFAULTS = List.of(LinkedHashMap.class, TreeMap.class,
            ConcurrentHashMap.class, ConcurrentSkipListMap.class);

    private final JavaType type;
    private final transient JsonDeserializer<Object> keys;
    private final transient JsonDeserializer<Object> values;
    private final transient KeyDeserializer fieldNames;

    CanonicalMapDeserializer(JavaType type) {
        this(type, null, null, null);
    }

    private CanonicalMapDeserializer(JavaType type, JsonDeserializer<Object> keys, JsonDeserializer<Object> values,
                                     KeyDeserializer fieldNames) {
        super(type);
        this.type = type;
        this.keys = keys;
        this.values = values;
        this.fieldNames = fieldNames;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        // root deserializers read the type ids that non-final key and value types carry
        return new CanonicalMapDeserializer(type, ctxt.findRootValueDeserializer(type.getKeyType()),
                ctxt.findRootValueDeserializer(type.getContentType()), ctxt.findKeyDeserializer(type.getKeyType(), property));
    }

    @Override
    public Map<Object, Object> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        Map<Object, Object> map = newMap();
        if (p.isExpectedStartArrayToken()) {
            readPairs(p, ctxt, map);
        } else {
            readFields(p, ctxt, map);
        }
        return map;
    }

    @Override
    public Object deserializeWithType(JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
            throws IOException {
        return typeDeserializer.deserializeTypedFromAny(p, ctxt);
    }

    private void readPairs(JsonParser p, DeserializationContext ctxt, Map<Object, Object> map) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!p.isExpectedStartArrayToken()) {
                ctxt.reportWrongTokenException(this, JsonToken.START_ARRAY, "a map entry is a [key, value] pair");
            }
            p.nextToken();
            Object key = read(p, ctxt, keys);
            p.nextToken();
            Object value = read(p, ctxt, values);
            if (p.nextToken() != JsonToken.END_ARRAY) {
                ctxt.reportWrongTokenException(this, JsonToken.END_ARRAY, "a map entry is a [key, value] pair");
            }
            map.put(key, value);
        }
    }

    /** The earlier form: a JSON object, whose field names are the keys. */
    private void readFields(JsonParser p, DeserializationContext ctxt, Map<Object, Object> map) throws IOException {
        JsonToken token = p.isExpectedStartObjectToken() ? p.nextToken() : p.currentToken();
        for (; token == JsonToken.FIELD_NAME; token = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            map.put(fieldNames.deserializeKey(name, ctxt), read(p, ctxt, values));
        }
    }

    private static Object read(JsonParser p, DeserializationContext ctxt, JsonDeserializer<Object> deserializer)
            throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : deserializer.deserialize(p, ctxt);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<Object, Object> newMap() {
        Class<?> declared = type.getRawClass();
        if (EnumMap.class.isAssignableFrom(declared)) {
            return new EnumMap(type.getKeyType().getRawClass());
        }
        Map<Object, Object> map = ClassUtil.isConcrete(declared) ? newInstance(declared) : null;
        for (int i = 0; map == null && i < DEFAULTS.size(); i++) {
            map = declared.isAssignableFrom(DEFAULTS.get(i)) ? newInstance(DEFAULTS.get(i)) : null;
        }
        // a map class without a public no-argument constructor: an immutable map named by an earlier key
        return map != null ? map : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> newInstance(Class<?> type) {
        try {
            return (Map<Object, Object>) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
