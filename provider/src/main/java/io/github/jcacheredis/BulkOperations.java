package io.github.jcacheredis;

import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.event.EventType;

/** putAll, removeAll and clear: pipelined, with write-through's partial-failure rules. */
final class BulkOperations<K, V> {

    /** Keys per SCAN call and per pipelined removal in removeAll() and clear(). */
    static final int BATCH = 500;

    private final CacheResources<K, V> r;
    private final WriteOperations<K, V> writes;

    BulkOperations(CacheResources<K, V> resources, WriteOperations<K, V> writes) {
        this.r = resources;
        this.writes = writes;
    }

    /**
     * Stores all entries. With write-through, only the entries the writer wrote are stored, and its
     * failure is rethrown afterwards.
     */
    void putAll(Map<? extends K, ? extends V> entries) {
        long start = r.statistics().start();
        Map<K, String> segments = new LinkedHashMap<>();
        Map<K, byte[]> encoded = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            segments.put(key, r.encodeKey(key));
            encoded.put(key, r.encodeValue(value));
        });
        writes.writing(segments.values());
        WriteThrough.Partial<K> written = r.writer().writeAll(entries);
        Set<K> toStore = written.done();
        long creation = r.expiry().creationHint();
        long update = r.expiry().updateHint();
        // every entry is stored (so each counts as a put) unless a TTL is zero or must be asked for
        boolean storesAll = r.expiry().isConstant() && creation != Ttl.EXPIRE_NOW && update != Ttl.EXPIRE_NOW;
        if (!r.events().hasListeners() && storesAll) {
            Map<String, byte[]> values = new LinkedHashMap<>();
            toStore.forEach(key -> values.put(segments.get(key), encoded.get(key)));
            r.store().putAll(values, creation, update);
            r.statistics().puts(values.size());
        } else {
            boolean needPrevious = r.wants(EventType.UPDATED);
            Map<String, Mutation> mutations = new LinkedHashMap<>();
            toStore.forEach(key -> mutations.put(segments.get(key),
                    Mutation.put(encoded.get(key), creation, update, needPrevious)));
            List<MutationResult> results = r.store().mutateAll(mutations);
            Iterator<MutationResult> it = results.iterator();
            for (K key : toStore) {
                String segment = segments.get(key);
                MutationResult result = it.next();
                writes.countPut(result);
                writes.firePut(key, entries.get(key), segment, result);
            }
        }
        r.statistics().recordPutTime(start);
        written.rethrow();
    }

    /** Removes the given keys (after the writer deleted them). */
    void removeAll(Collection<? extends K> keys) {
        long start = r.statistics().start();
        for (K key : keys) {
            r.encodeKey(key); // refuse unencodable keys before the writer runs
        }
        WriteThrough.Partial<K> deleted = r.writer().deleteAll(keys);
        removeFromStore(deleted.done());
        r.statistics().recordRemoveTime(start);
        deleted.rethrow();
    }

    /** Removes every entry, in batches, telling the writer and the listeners. */
    void removeAll() {
        Iterator<String> segments = r.store().scan(BATCH);
        List<K> batch = new ArrayList<>(BATCH);
        while (segments.hasNext()) {
            batch.add(r.decodeKey(segments.next()));
            if (batch.size() == BATCH) {
                removeAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            removeAll(batch);
        }
    }

    /** Removes every entry without telling writers or listeners. */
    void clear() {
        r.store().clear(BATCH);
    }

    private void removeFromStore(Collection<K> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, K> bySegment = new LinkedHashMap<>();
        keys.forEach(key -> bySegment.put(r.encodeKey(key), key));
        writes.writing(bySegment.keySet());
        if (!r.wants(EventType.REMOVED)) {
            r.statistics().removals(r.store().removeAll(bySegment.keySet()));
            return;
        }
        Map<String, Mutation> mutations = new LinkedHashMap<>();
        bySegment.keySet().forEach(segment -> mutations.put(segment, Mutation.remove(true)));
        Iterator<MutationResult> results = r.store().mutateAll(mutations).iterator();
        for (Map.Entry<String, K> entry : bySegment.entrySet()) {
            MutationResult result = results.next();
            if (result.outcome() == Outcome.DELETED) {
                r.statistics().removals(1);
                writes.fireRemoved(entry.getValue(), entry.getKey(), result, result.previous());
            }
        }
    }
}
