package io.github.jcacheredis;

import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
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

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ExpiryDecisions expiry;
    private final CacheEvents<K, V> events;
    private final CacheStatistics statistics;
    private final WriteThrough<K, V> writer;
    private final WriteOperations<K, V> writes;

    BulkOperations(EntryCodec<K, V> codec, EntryStore store, ExpiryDecisions expiry, CacheEvents<K, V> events,
                   CacheStatistics statistics, WriteThrough<K, V> writer, WriteOperations<K, V> writes) {
        this.codec = codec;
        this.store = store;
        this.expiry = expiry;
        this.events = events;
        this.statistics = statistics;
        this.writer = writer;
        this.writes = writes;
    }

    /**
     * Stores all entries. With write-through, only the entries the writer wrote are stored, and its
     * failure is rethrown afterwards.
     */
    void putAll(Map<? extends K, ? extends V> entries) {
        long start = statistics.start();
        Map<K, String> encodedKeys = new LinkedHashMap<>();
        Map<K, byte[]> encoded = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            encodedKeys.put(key, codec.encodeKey(key));
            encoded.put(key, codec.encodeValue(value));
        });
        writes.writing(encodedKeys.values());
        WriteThrough.Partial<K> written = writer.writeAll(entries);
        Set<K> toStore = written.done();
        long creation = expiry.creationHint();
        long update = expiry.updateHint();
        // every entry is stored (so each counts as a put) unless a TTL is zero or must be asked for
        boolean storesAll = expiry.isConstant() && creation != Ttl.EXPIRE_NOW && update != Ttl.EXPIRE_NOW;
        // keys that encode alike are one entry (arrays, say, are never equals()): the later one is put
        Map<String, K> keyOfEntry = new LinkedHashMap<>();
        toStore.forEach(key -> keyOfEntry.put(encodedKeys.get(key), key));
        if (!events.hasListeners() && storesAll) {
            Map<String, byte[]> values = new LinkedHashMap<>();
            keyOfEntry.forEach((encodedKey, key) -> values.put(encodedKey, encoded.get(key)));
            statistics.puts(store.putAll(values, creation, update)); // none that degrade mode skipped
        } else {
            boolean needPrevious = events.wants(EventType.UPDATED);
            Map<String, Mutation> mutations = new LinkedHashMap<>();
            keyOfEntry.forEach((encodedKey, key) -> mutations.put(encodedKey,
                    Mutation.put(encoded.get(key), creation, update, needPrevious)));
            List<MutationResult> results = store.mutateAll(mutations);
            Iterator<MutationResult> it = results.iterator();
            keyOfEntry.forEach((encodedKey, key) -> {
                MutationResult result = it.next();
                writes.countPut(result);
                writes.firePut(key, entries.get(key), encodedKey, result);
            });
        }
        statistics.recordPutTime(start);
        written.rethrow();
    }

    /** Removes the given keys (after the writer deleted them). */
    void removeAll(Collection<? extends K> keys) {
        long start = statistics.start();
        for (K key : keys) {
            codec.encodeKey(key); // refuse unencodable keys before the writer runs
        }
        WriteThrough.Partial<K> deleted = writer.deleteAll(keys);
        removeFromStore(deleted.done());
        statistics.recordRemoveTime(start);
        deleted.rethrow();
    }

    /**
     * Removes every entry, in batches, telling the writer and the listeners: each batch is
     * removed before the next is read, so each entry is handed to them once. Degraded (Redis
     * unreachable), the keys are unknown: the store records a clear, done once Redis is back.
     */
    void removeAll() {
        Iterator<List<String>> batches = store.batchesToRemove(BATCH);
        while (batches.hasNext()) {
            List<K> batch = new ArrayList<>(BATCH);
            batches.next().forEach(encodedKey -> batch.add(codec.decodeKey(encodedKey)));
            removeAll(batch);
        }
    }

    /** Removes every entry without telling writers or listeners. */
    void clear() {
        store.clear(BATCH);
    }

    private void removeFromStore(Collection<K> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, K> byEncodedKey = new LinkedHashMap<>();
        keys.forEach(key -> byEncodedKey.put(codec.encodeKey(key), key));
        writes.writing(byEncodedKey.keySet());
        if (!events.wants(EventType.REMOVED)) {
            statistics.removals(store.removeAll(byEncodedKey.keySet()));
            return;
        }
        Map<String, Mutation> mutations = new LinkedHashMap<>();
        byEncodedKey.keySet().forEach(encodedKey -> mutations.put(encodedKey, Mutation.remove(true)));
        Iterator<MutationResult> results = store.mutateAll(mutations).iterator();
        for (Map.Entry<String, K> entry : byEncodedKey.entrySet()) {
            MutationResult result = results.next();
            if (result.outcome() == Outcome.DELETED) {
                statistics.removals(1);
                writes.fireRemoved(entry.getValue(), entry.getKey(), result, result.previous());
            }
        }
    }
}
