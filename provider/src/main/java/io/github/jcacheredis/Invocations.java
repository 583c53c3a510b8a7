package io.github.jcacheredis;

import io.github.jcacheredis.concurrent.KeyLocks;
import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.processor.ProcessorEntry;
import io.github.jcacheredis.processor.ProcessorResult;
import io.github.jcacheredis.processor.RecentValues;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.storage.WriteLease;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.CacheException;
import javax.cache.event.EventType;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * invoke and invokeAll, atomic across instances. Without a CacheWriter, lock-free: read the entry,
 * run the processor on a private copy, then apply its one net change with a compare-and-set
 * against the bytes read; when another writer got in between, run it again on the new value. With
 * a writer, under the entry's write lease ({@link LeasedWrites}): the processor runs once on the
 * value the lease answered, and the writer is called once for its change. Within this JVM,
 * processors for one key take turns ({@link KeyLocks}), so a value loader behind invoke (Spring's
 * {@code @Cacheable(sync = true)}) runs once per instance.
 */
final class Invocations<K, V> {

    /** How many keys' last values an instance remembers, and how large each may be. */
    static final int RECENT_VALUES = 10_000;
    static final int RECENT_VALUE_BYTES = 16 * 1024;
    /** How many compare-and-set conflicts an invocation tolerates before it gives up. */
    static final int MAX_ATTEMPTS = 1_000;

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ExpiryDecisions expiry;
    private final CacheEvents<K, V> events;
    private final CacheStatistics statistics;
    private final WriteThrough<K, V> writer;
    private final ReadThrough<K, V> loader;
    private final ReadOperations<K, V> reads;
    private final WriteOperations<K, V> writes;
    private final OwnKeyWrites ownKeys;
    private final KeyLocks locks = new KeyLocks();
    private final RecentValues recent;

    Invocations(EntryCodec<K, V> codec, EntryStore store, ExpiryDecisions expiry, CacheEvents<K, V> events,
                CacheStatistics statistics, WriteThrough<K, V> writer, ReadThrough<K, V> loader,
                ReadOperations<K, V> reads, WriteOperations<K, V> writes, OwnKeyWrites ownKeys) {
        this.codec = codec;
        this.store = store;
        this.expiry = expiry;
        this.events = events;
        this.statistics = statistics;
        this.writer = writer;
        this.loader = loader;
        this.reads = reads;
        this.writes = writes;
        this.ownKeys = ownKeys;
        // Running on a remembered value may run the processor on stale data once before the
        // compare-and-set corrects it: harmless unless a writer, a loader or an expiry policy
        // would see the extra call, so only caches with none of them remember.
        this.recent = !writer.isEnabled() && !loader.isReadThrough() && expiry.isConstant()
                ? RecentValues.of(RECENT_VALUES, RECENT_VALUE_BYTES) : RecentValues.off();
    }

    <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        String encodedKey = codec.encodeKey(key);
        try (KeyLocks.Held held = locks.lock(encodedKey)) {
            return writes.leased() != null ? invokeLeased(key, encodedKey, processor, arguments)
                    : invokeLockFree(key, encodedKey, processor, arguments);
        }
    }

    <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
                                                  Object... arguments) {
        Map<K, EntryProcessorResult<T>> results = new HashMap<>();
        for (K key : keys) {
            try {
                T result = invoke(key, processor, arguments);
                if (result != null) {
                    results.put(key, ProcessorResult.of(result));
                }
            } catch (EntryProcessorException e) {
                results.put(key, ProcessorResult.failed(e));
            } catch (CacheException e) {
                // the cache's own failure on this key (Redis, the codec, a lease) is this key's result
                // too, as JCache's EntryProcessorResult says: the caller learns which keys took effect,
                // and the other keys are still processed
                results.put(key, ProcessorResult.failed(new EntryProcessorException("Cache[" + codec.cacheName()
                        + "]: invokeAll failed on key '" + codec.encodeKey(key) + "': " + e.getMessage(), e)));
            }
        }
        return results;
    }

    private <T> T invokeLockFree(K key, String encodedKey, EntryProcessor<K, V, T> processor, Object... arguments) {
        ExpiryAnswers ttls = new ExpiryAnswers(expiry);
        byte[] bytes = recent.get(encodedKey);
        boolean confirmed = bytes == null;
        if (confirmed) {
            bytes = store.get(encodedKey);
        }
        int ownWrites = 0;
        for (int attempt = 1; ; attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new CacheException("Cache[" + codec.cacheName() + "]: the entry processor for key '" + encodedKey
                        + "' gave up after " + MAX_ATTEMPTS + " attempts: other writers changed the entry between"
                        + " every read and compare-and-set");
            }
            ProcessorEntry<K, V> entry = newEntry(key, encodedKey, bytes);
            OwnKeyWrites.Frame frame = ownKeys.enter(encodedKey);
            T result;
            try {
                result = run(processor, entry, arguments);
            } catch (EntryProcessorException e) {
                if (confirmed || Arrays.equals(bytes, bytes = store.get(encodedKey))) {
                    throw e;
                }
                confirmed = true; // it failed on a remembered value that was stale: run it on the current one
                continue;
            } finally {
                ownKeys.exit(frame);
            }
            if (frame.wroteOwnKey && ++ownWrites > 1) {
                throw writesOwnKey(encodedKey);
            }
            if (!confirmed && !entry.change().writes()) {
                // a result computed from a remembered value is only returned once Redis confirms it
                confirmed = true;
                if (!Arrays.equals(bytes, bytes = store.get(encodedKey))) {
                    recent.remember(encodedKey, bytes);
                    continue;
                }
            }
            Attempt applied = apply(key, encodedKey, entry, bytes, ttls);
            recent.remember(encodedKey, applied.current());
            if (applied.applied()) {
                return result;
            }
            bytes = applied.current(); // the value that won, as the failed compare-and-set read it
            confirmed = true;
        }
    }

    private <T> T invokeLeased(K key, String encodedKey, EntryProcessor<K, V, T> processor, Object... arguments) {
        LeasedWrites<K, V> leased = writes.leased();
        for (int ownWrites = 0; ; ) {
            boolean rerun = false;
            T result = null;
            WriteLease lease = store.lease(encodedKey);
            try {
                ProcessorEntry<K, V> entry = newEntry(key, encodedKey, lease.current());
                OwnKeyWrites.Frame frame = ownKeys.enter(encodedKey);
                try {
                    result = run(processor, entry, arguments);
                } finally {
                    ownKeys.exit(frame);
                }
                if (frame.wroteOwnKey) {
                    // it decided on a value its own write through the cache replaced: run it again on the new one
                    if (++ownWrites > 1) {
                        throw writesOwnKey(encodedKey);
                    }
                    rerun = true;
                } else {
                    applyLeased(leased, key, encodedKey, entry, lease);
                }
            } finally {
                store.release(lease);
            }
            if (!rerun) {
                return result;
            }
        }
    }

    private EntryProcessorException writesOwnKey(String encodedKey) {
        return new EntryProcessorException("Cache[" + codec.cacheName() + "]: the entry processor for key '" + encodedKey
                + "' wrote that same key through the cache on every run, so its own change could never apply;"
                + " change the entry with MutableEntry.setValue or remove instead");
    }

    private ProcessorEntry<K, V> newEntry(K key, String encodedKey, byte[] bytes) {
        return new ProcessorEntry<>(key, codec.decode(encodedKey, bytes), loader.isReadThrough() ? loader::load : null);
    }

    /** Whether a change was applied, and what the entry holds now (null when absent). */
    private record Attempt(boolean applied, byte[] current) {
    }

    private static <K, V, T> T run(EntryProcessor<K, V, T> processor, ProcessorEntry<K, V> entry, Object[] arguments) {
        try {
            return processor.process(entry, arguments);
        } catch (EntryProcessorException e) {
            throw e;
        } catch (Throwable e) {
            throw new EntryProcessorException(e);
        }
    }

    /** Applies the processor's change, unless the entry changed since it was read. */
    private Attempt apply(K key, String encodedKey, ProcessorEntry<K, V> entry, byte[] read, ExpiryAnswers ttls) {
        boolean existed = entry.existedBefore();
        switch (entry.change()) {
            case NONE, REMOVE_MISSING -> {
                // nothing to write (and no writer to tell)
            }
            case ACCESS -> expiry.touch(store, encodedKey);
            case LOAD -> reads.storeLoaded(key, encodedKey, entry.value());
            case CREATE, UPDATE -> {
                V value = entry.value();
                byte[] bytes = codec.encodeValue(value);
                ownKeys.writing(encodedKey);
                long creation = existed ? expiry.creationHint() : ttls.creation();
                long update = existed ? ttls.update() : expiry.updateHint();
                MutationResult result = store.mutate(encodedKey, Mutation.compareAndSet(read, bytes, creation, update));
                if (result.outcome() == Outcome.CONFLICT) {
                    return new Attempt(false, result.previous());
                }
                writes.countPut(result);
                writes.firePut(key, value, encodedKey, result.withPrevious(read));
                countRead(existed);
                return new Attempt(true, result.outcome().stored() ? bytes : null);
            }
            case REMOVE -> {
                ownKeys.writing(encodedKey);
                MutationResult result = store.mutate(encodedKey, Mutation.removeIfEquals(read));
                if (result.outcome() == Outcome.CONFLICT) {
                    return new Attempt(false, result.previous());
                }
                statistics.removals(1);
                fireRemoved(key, encodedKey, entry, result, read);
                countRead(existed);
                return new Attempt(true, null);
            }
            default -> throw new IllegalStateException("unknown change " + entry.change());
        }
        countRead(existed);
        return new Attempt(true, read);
    }

    /** Applies the processor's change under the entry's lease: the writer is told once. */
    private void applyLeased(LeasedWrites<K, V> leased, K key, String encodedKey, ProcessorEntry<K, V> entry,
                             WriteLease lease) {
        switch (entry.change()) {
            case NONE -> {
                // nothing happened
            }
            case REMOVE_MISSING -> writer.delete(key);
            case ACCESS -> expiry.touch(store, encodedKey);
            case LOAD -> {
                long creation = expiry.resolve(expiry.creationHint(), false);
                MutationResult result = leased.fenced(lease,
                        Mutation.putIfAbsent(codec.encodeValue(entry.value()), creation));
                events.fire(result, result.outcome() == Outcome.CREATED && events.wants(EventType.CREATED)
                        ? List.of(EntryEvent.created(events.source(), key, entry.value())) : List.of());
            }
            case CREATE, UPDATE -> {
                ownKeys.writing(encodedKey);
                writer.write(key, entry.value());
                MutationResult result = leased.store(lease, codec.encodeValue(entry.value()));
                writes.countPut(result);
                writes.firePut(key, entry.value(), encodedKey, result.withPrevious(lease.current()));
            }
            case REMOVE -> {
                ownKeys.writing(encodedKey);
                writer.delete(key);
                MutationResult result = leased.afterWriter(lease, Mutation.remove(false));
                if (result.outcome() == Outcome.DELETED) {
                    statistics.removals(1);
                    fireRemoved(key, encodedKey, entry, result, lease.current());
                }
            }
            default -> throw new IllegalStateException("unknown change " + entry.change());
        }
        countRead(entry.existedBefore());
    }

    private void fireRemoved(K key, String encodedKey, ProcessorEntry<K, V> entry, MutationResult result, byte[] read) {
        events.fire(result, events.wants(EventType.REMOVED)
                ? List.of(EntryEvent.removed(events.source(), key,
                        entry.existedBefore() ? codec.decode(encodedKey, read) : null))
                : List.of());
    }

    private void countRead(boolean existed) {
        if (existed) {
            statistics.hits(1);
        } else {
            statistics.misses(1);
        }
    }
}
