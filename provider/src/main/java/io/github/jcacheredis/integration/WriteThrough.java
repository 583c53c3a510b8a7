package io.github.jcacheredis.integration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * The cache's CacheWriter, or nothing when write-through is off. The writer runs before Redis is
 * touched; its failures reach the caller as {@link CacheWriterException}.
 */
public final class WriteThrough<K, V> {

    private final CacheWriter<? super K, ? super V> writer;

    private WriteThrough(CacheWriter<? super K, ? super V> writer) {
        this.writer = writer;
    }

    public static <K, V> WriteThrough<K, V> of(CacheWriter<? super K, ? super V> writer) {
        return new WriteThrough<>(writer);
    }

    public static <K, V> WriteThrough<K, V> none() {
        return new WriteThrough<>(null);
    }

    public boolean isEnabled() {
        return writer != null;
    }

    /** The writer itself, for closing; null when none. */
    public Object delegate() {
        return writer;
    }

    public void write(K key, V value) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(new ImmutableEntry<>(key, value));
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    public void delete(K key) {
        if (writer == null) {
            return;
        }
        try {
            writer.delete(key);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    /**
     * Writes all entries; returns the keys the writer reports as written (all of them when it
     * succeeds) together with its failure, if any.
     */
    public Partial<K> writeAll(Map<? extends K, ? extends V> entries) {
        if (writer == null || entries.isEmpty()) {
            return new Partial<>(new LinkedHashSet<>(entries.keySet()), null);
        }
        Collection<Cache.Entry<? extends K, ? extends V>> pending = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> pending.add(new ImmutableEntry<>(k, v)));
        try {
            writeAllRaw(pending);
            return new Partial<>(new LinkedHashSet<>(entries.keySet()), null);
        } catch (RuntimeException e) {
            Set<K> done = new LinkedHashSet<>(entries.keySet());
            pending.forEach(entry -> done.remove(entry.getKey()));
            return new Partial<>(done, wrap(e));
        }
    }

    /** Deletes all keys; returns the keys deleted (all when the writer succeeds) and its failure. */
    public Partial<K> deleteAll(Collection<? extends K> keys) {
        if (writer == null || keys.isEmpty()) {
            return new Partial<>(new LinkedHashSet<>(keys), null);
        }
        Collection<Object> pending = new ArrayList<>(keys);
        try {
            deleteAllRaw(pending);
            return new Partial<>(new LinkedHashSet<>(keys), null);
        } catch (RuntimeException e) {
            Set<K> done = new LinkedHashSet<>(keys);
            done.removeAll(pending);
            return new Partial<>(done, wrap(e));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void writeAllRaw(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
        ((CacheWriter) writer).writeAll((Collection) entries);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void deleteAllRaw(Collection<Object> keys) {
        ((CacheWriter) writer).deleteAll(keys);
    }

    private static CacheWriterException wrap(RuntimeException e) {
        return e instanceof CacheWriterException cwe ? cwe : new CacheWriterException(e);
    }

    /** Keys a bulk writer call handled, and its failure (null when it succeeded). */
    public record Partial<K>(Set<K> done, CacheWriterException failure) {

        public void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
