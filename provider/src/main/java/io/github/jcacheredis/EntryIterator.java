package io.github.jcacheredis;

import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.ImmutableEntry;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.cache.Cache;

/**
 * Iterates over a cache with SCAN, fetching values a batch at a time, so client memory stays
 * bounded whatever the cache's size. Entries removed meanwhile are skipped. Each entry handed out
 * counts as a hit and an access; {@link #remove()} removes through the cache (writer, listeners).
 */
final class EntryIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

    static final int BATCH = 100;

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ExpiryDecisions expiry;
    private final CacheStatistics statistics;
    private final ReadOperations<K, V> reads;
    private final WriteOperations<K, V> writes;
    private final Iterator<String> encodedKeys;
    private final Deque<Fetched<K, V>> buffer = new ArrayDeque<>();
    private K last;

    EntryIterator(EntryCodec<K, V> codec, EntryStore store, ExpiryDecisions expiry, CacheStatistics statistics,
                  ReadOperations<K, V> reads, WriteOperations<K, V> writes) {
        this.codec = codec;
        this.store = store;
        this.expiry = expiry;
        this.statistics = statistics;
        this.reads = reads;
        this.writes = writes;
        this.encodedKeys = store.scan(BATCH);
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && encodedKeys.hasNext()) {
            List<String> batch = new ArrayList<>(BATCH);
            while (batch.size() < BATCH && encodedKeys.hasNext()) {
                batch.add(encodedKeys.next());
            }
            Map<String, byte[]> values = store.getAllAndExpire(batch, expiry.accessHint());
            for (String encodedKey : batch) {
                byte[] bytes = values.get(encodedKey);
                if (bytes != null) {
                    K key = codec.decodeKey(encodedKey);
                    buffer.add(new Fetched<>(encodedKey, new ImmutableEntry<>(key, codec.decode(encodedKey, bytes))));
                }
            }
        }
        return !buffer.isEmpty();
    }

    @Override
    public Cache.Entry<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Fetched<K, V> fetched = buffer.poll();
        statistics.hits(1);
        reads.applyAccessExpiry(fetched.encodedKey());
        last = fetched.entry().getKey();
        return fetched.entry();
    }

    @Override
    public void remove() {
        if (last == null) {
            throw new IllegalStateException("next() has not been called, or remove() was already called");
        }
        writes.remove(last);
        last = null;
    }

    private record Fetched<K, V>(String encodedKey, ImmutableEntry<K, V> entry) {
    }
}
