package io.github.jcacheredis;

import io.github.jcacheredis.codec.KeyCodec;
import io.github.jcacheredis.codec.ValueCodec;
import io.github.jcacheredis.storage.EntryStore;

/**
 * How one cache's keys and values become what its store keeps: keys as their encoded form, values as
 * bytes. Decoding names the entry ({@link EntryStore#describe}) in its errors.
 */
final class EntryCodec<K, V> {

    private final String cacheName;
    private final Class<V> valueType;
    private final KeyCodec keys;
    private final ValueCodec values;
    private final EntryStore store;

    EntryCodec(String cacheName, Class<V> valueType, KeyCodec keys, ValueCodec values, EntryStore store) {
        this.cacheName = cacheName;
        this.valueType = valueType;
        this.keys = keys;
        this.values = values;
        this.store = store;
    }

    /** The cache's name, for messages. */
    String cacheName() {
        return cacheName;
    }

    String encodeKey(K key) {
        return keys.encode(key);
    }

    byte[] encodeValue(V value) {
        return values.encode(value);
    }

    /** The value for bytes read at {@code encodedKey}; null stays null. */
    V decode(String encodedKey, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return valueType.cast(values.decode(bytes, store.describe(encodedKey)));
    }

    @SuppressWarnings("unchecked")
    K decodeKey(String encodedKey) {
        return (K) keys.decode(encodedKey);
    }
}
