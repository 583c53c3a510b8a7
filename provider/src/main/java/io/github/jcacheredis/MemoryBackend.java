package io.github.jcacheredis;

import io.github.jcacheredis.event.SharedEvents;
import io.github.jcacheredis.inmemory.MemoryEntryStore;
import io.github.jcacheredis.near.NearCacheSettings;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.TtlResolver;
import io.github.jcacheredis.store.BatchSizes;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A manager's caches in this JVM's memory ({@code memory:} URIs): the same JCache rules on a store
 * without Redis, shared with no other instance. A near cache setting has nothing to add here.
 */
final class MemoryBackend implements CacheBackend {

    private final LongSupplier clock;

    /** @param clock the time in milliseconds that TTLs count on */
    MemoryBackend(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public EntryStore store(String name, NearCacheSettings near, TtlResolver ttls) {
        return new MemoryEntryStore(name, clock, ttls);
    }

    @Override
    public <K, V> Function<CacheEvents<K, V>, SharedEvents> sharing(EntryStore store) {
        return events -> SharedEvents.NONE;
    }

    @Override
    public void clear(String name) {
        // a cache not open here has no entries in this manager's memory
    }

    @Override
    public long skippedWrites() {
        return 0;
    }

    @Override
    public Optional<Instant> unreachableSince() {
        return Optional.empty();
    }

    @Override
    public BatchSizes.Snapshot batchSizes() {
        return BatchSizes.Snapshot.empty();
    }

    @Override
    public Object client() {
        return null;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
