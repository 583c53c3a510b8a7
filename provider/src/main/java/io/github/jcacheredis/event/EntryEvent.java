package io.github.jcacheredis.event;

import io.github.jcacheredis.integration.ImmutableEntry;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * One created, updated, removed or expired event. For removed and expired events the value is the
 * value the entry last held, as is the old value.
 */
public final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {

    private static final long serialVersionUID = 1L;

    private final K key;
    private final V value;
    private final V oldValue;
    private final boolean oldValueAvailable;

    public EntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
        super(source, type);
        this.key = key;
        this.value = value;
        this.oldValue = oldValue;
        this.oldValueAvailable = oldValueAvailable;
    }

    public static <K, V> EntryEvent<K, V> created(Cache<K, V> source, K key, V value) {
        return new EntryEvent<>(source, EventType.CREATED, key, value, null, false);
    }

    public static <K, V> EntryEvent<K, V> updated(Cache<K, V> source, K key, V value, V oldValue) {
        return new EntryEvent<>(source, EventType.UPDATED, key, value, oldValue, oldValue != null);
    }

    public static <K, V> EntryEvent<K, V> removed(Cache<K, V> source, K key, V oldValue) {
        return new EntryEvent<>(source, EventType.REMOVED, key, oldValue, oldValue, oldValue != null);
    }

    public static <K, V> EntryEvent<K, V> expired(Cache<K, V> source, K key, V oldValue) {
        return new EntryEvent<>(source, EventType.EXPIRED, key, oldValue, oldValue, oldValue != null);
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public V getOldValue() {
        return oldValue;
    }

    @Override
    public boolean isOldValueAvailable() {
        return oldValueAvailable;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return ImmutableEntry.unwrap(this, clazz);
    }

    @Override
    public String toString() {
        return "EntryEvent[" + getEventType() + " " + key + "]";
    }
}
