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
 * next round. A write skipped while a round clears its cache is recorded by its key, not as a
 * clear again: the clear may have passed that key already, and the next round deletes just it,
 * so that a cache written all along does not make every round clear it anew (a clear is asked
 * for again only when those keys overflow the bound too). Not thread-safe: {@link RedisHealth}
 * guards it.
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
    /** The records the running recovery round undoes, null between rounds. */
    private Snapshot running;

    SkippedWrites(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** Records skipped writes of {@code encodedKeys}; false when the bound overflowed into a clear. */
    boolean add(KeyLayout layout, Collection<String> encodedKeys) {
        long number = ++sequence;
        ClearRecord clear = caches.get(layout.prefix());
        if (clear != null && !clear.equals(running == null ? null : running.caches().get(layout.prefix()))) {
            return true; // a clear yet to begin covers these writes
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

    /** Begins a recovery round: what it is to undo, which skips take into account until it is {@link #forget forgotten}. */
    Snapshot startRound() {
        running = snapshot();
        return running;
    }

    /** Forgets what {@code done} undid, keeping records made since it was taken. */
    void forget(Snapshot done) {
        done.keys().forEach((key, number) -> keys.remove(key, number));
        done.caches().forEach((prefix, record) -> caches.remove(prefix, record));
        running = null;
    }
}
