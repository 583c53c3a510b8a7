package io.github.jcacheredis.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of writes skipped while Redis was unreachable (degrade mode), to be deleted once it is
 * back, and the caches to clear instead when more keys were skipped than it keeps. Every record
 * carries the number of the skip that made it, so that recovery can forget exactly what it undid:
 * a key skipped again while recovery was deleting it keeps its newer record and is undone in the
 * next round. Not thread-safe: {@link RedisHealth} guards it.
 */
final class SkippedWrites {

    /** What one recovery round must undo: entry keys to delete and caches to clear. */
    record Snapshot(Map<String, KeyRecord> keys, Map<String, ClearRecord> caches) {

        boolean isEmpty() {
            return keys.isEmpty() && caches.isEmpty();
        }
    }

    /** An entry to delete: the layout of its cache and the number of the skip that asked for it. */
    record KeyRecord(KeyLayout layout, long sequence) {
    }

    /** A cache to clear: its layout and the number of the skip that asked for it. */
    record ClearRecord(KeyLayout layout, long sequence) {
    }

    private final int maxKeys;
    private final Map<String, KeyRecord> keys = new LinkedHashMap<>();
    private final Map<String, ClearRecord> caches = new LinkedHashMap<>();
    private long sequence;

    SkippedWrites(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** Records skipped writes of {@code encodedKeys}; false when the bound overflowed into a clear. */
    boolean add(KeyLayout layout, Collection<String> encodedKeys) {
        long number = ++sequence;
        if (caches.containsKey(layout.prefix())) {
            caches.put(layout.prefix(), new ClearRecord(layout, number));
            return true;
        }
        for (String encodedKey : encodedKeys) {
            String key = layout.entryKey(encodedKey);
            if (!keys.containsKey(key) && keys.size() >= maxKeys) {
                caches.put(layout.prefix(), new ClearRecord(layout, number));
                // the clear covers this cache's keys: their records make room for other caches
                keys.keySet().removeIf(recorded -> recorded.startsWith(layout.prefix()));
                return false;
            }
            keys.remove(key); // re-inserted last, so the oldest records stay first
            keys.put(key, new KeyRecord(layout, number));
        }
        return true;
    }

    /** Records that a whole cache must be cleared (a skipped clear, or too many keys). */
    void addClear(KeyLayout layout) {
        caches.put(layout.prefix(), new ClearRecord(layout, ++sequence));
    }

    boolean isEmpty() {
        return keys.isEmpty() && caches.isEmpty();
    }

    Snapshot snapshot() {
        return new Snapshot(new HashMap<>(keys), new HashMap<>(caches));
    }

    /** Forgets what {@code done} undid, keeping records made since it was taken. */
    void forget(Snapshot done) {
        done.keys().forEach((key, number) -> keys.remove(key, number));
        done.caches().forEach((prefix, record) -> caches.remove(prefix, record));
    }
}
