package io.github.jcacheredis.processor;

import io.github.jcacheredis.integration.ImmutableEntry;
import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an EntryProcessor works on: a private snapshot of the entry as read from Redis, plus
 * the one change the processor leaves behind ({@link Change}), which the cache applies afterwards
 * with a compare-and-set.
 */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

    /** What the processor did to the entry, net of all its calls. */
    public enum Change {
        /** Nothing, not even a read. */
        NONE,
        /** Read the existing value. */
        ACCESS,
        /** Read a missing value that the loader supplied; it is stored as a load. */
        LOAD,
        /** Set a value on an entry that did not exist. */
        CREATE,
        /** Set a value on an entry that existed. */
        UPDATE,
        /** Removed an entry that existed. */
        REMOVE,
        /** Removed an entry that did not exist: nothing changes in Redis, but a writer is told. */
        REMOVE_MISSING;

        /** True when the change writes to Redis (and so is checked by a compare-and-set). */
        public boolean writes() {
            return this == CREATE || this == UPDATE || this == REMOVE;
        }
    }

    private final K key;
    private final V original;
    private final Function<K, V> loader;
    private Change change = Change.NONE;
    private V value;

    /**
     * @param original the value the entry held when read, null when absent
     * @param loader   loads a missing value for {@link #getValue()}, or null without read-through
     */
    public ProcessorEntry(K key, V original, Function<K, V> loader) {
        this.key = key;
        this.original = original;
        this.value = original;
        this.loader = loader;
    }

    public Change change() {
        return change;
    }

    /** True when the entry existed before the processor ran. */
    public boolean existedBefore() {
        return original != null;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public boolean exists() {
        return value != null;
    }

    @Override
    public V getValue() {
        if (change == Change.NONE) {
            if (original != null) {
                change = Change.ACCESS;
            } else if (loader != null) {
                V loaded = loader.apply(key);
                if (loaded != null) {
                    value = loaded;
                    change = Change.LOAD;
                }
            }
        }
        return value;
    }

    @Override
    public void remove() {
        value = null;
        if (original != null) {
            change = Change.REMOVE;
        } else {
            // removing what this processor just created leaves nothing behind, not even for a writer
            change = change == Change.CREATE ? Change.NONE : Change.REMOVE_MISSING;
        }
    }

    @Override
    public void setValue(V newValue) {
        Objects.requireNonNull(newValue, "an entry processor cannot set a null value");
        value = newValue;
        change = original != null ? Change.UPDATE : Change.CREATE;
    }

    /** The value the processor left, null when it removed the entry or none exists. */
    public V value() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return ImmutableEntry.unwrap(this, clazz);
    }
}
