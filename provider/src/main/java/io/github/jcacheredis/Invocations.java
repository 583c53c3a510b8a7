package io.github.jcacheredis;

import io.github.jcacheredis.concurrent.KeyLocks;
import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.processor.ProcessorEntry;
import io.github.jcacheredis.processor.ProcessorResult;
import io.github.jcacheredis.processor.RecentValues;
import io.github.jcacheredis.store.Mutation;
import io.github.jcacheredis.store.MutationResult;
import io.github.jcacheredis.store.Outcome;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.cache.event.EventType;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * invoke and invokeAll, atomic across instances without distributed locks: read the entry, run
 * the processor on a private copy, then apply its one net change with a compare-and-set against
 * the bytes read. When another writer got in between, the whole attempt is repeated on the new
 * value. Within this JVM, processors for one key take turns ({@link KeyLocks}), so a value loader
 * behind invoke (Spring's {@code @Cacheable(sync = true)}) runs once per instance.
 */
final class Invocations<K, V> {

    /** Stripes of this instance's per-key locks; a processor holds one while it runs. */
    static final int LOCK_STRIPES = 256;
    /** How many keys' last values an instance remembers, and how large each may be. */
    static final int RECENT_VALUES = 10_000;
    static final int RECENT_VALUE_BYTES = 16 * 1024;

    private final CacheResources<K, V> r;
    private final ReadOperations<K, V> reads;
    private final WriteOperations<K, V> writes;
    private final KeyLocks locks = new KeyLocks(LOCK_STRIPES);
    private final RecentValues recent;

    Invocations(CacheResources<K, V> resources, ReadOperations<K, V> reads, WriteOperations<K, V> writes) {
        this.r = resources;
        this.reads = reads;
        this.writes = writes;
        // Running on a remembered value may run the processor on stale data once before the
        // compare-and-set corrects it: harmless unless a writer, a loader or an expiry policy
        // would see the extra call, so only caches with none of them remember.
        this.recent = !r.writer().isEnabled() && !r.loader().isReadThrough() && r.expiry().isConstant()
                ? RecentValues.of(RECENT_VALUES, RECENT_VALUE_BYTES) : RecentValues.off();
    }

    <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        String segment = r.encodeKey(key);
        ReentrantLock lock = locks.lockFor(segment);
        lock.lock();
        try {
            return invokeLocked(key, segment, processor, arguments);
        } finally {
            lock.unlock();
        }
    }

    private <T> T invokeLocked(K key, String segment, EntryProcessor<K, V, T> processor, Object... arguments) {
        byte[] bytes = recent.get(segment);
        boolean confirmed = bytes == null;
        if (confirmed) {
            bytes = r.store().get(segment);
        }
        while (true) {
            ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, r.decode(segment, bytes),
                    r.loader().isReadThrough() ? r.loader()::load : null);
            T result;
            try {
                result = run(processor, entry, arguments);
            } catch (EntryProcessorException e) {
                if (confirmed || Arrays.equals(bytes, bytes = r.store().get(segment))) {
                    throw e;
                }
                confirmed = true; // it failed on a remembered value that was stale: run it on the current one
                continue;
            }
            if (!confirmed && !entry.change().writes()) {
                // a result computed from a remembered value is only returned once Redis confirms it
                confirmed = true;
                if (!Arrays.equals(bytes, bytes = r.store().get(segment))) {
                    recent.remember(segment, bytes);
                    continue;
                }
            }
            Attempt attempt = apply(key, segment, entry, bytes);
            recent.remember(segment, attempt.current());
            if (attempt.applied()) {
                return result;
            }
            bytes = attempt.current(); // the value that won, as the failed compare-and-set read it
            confirmed = true;
        }
    }

    /** Whether a change was applied, and what the entry holds now (null when absent). */
    private record Attempt(boolean applied, byte[] current) {
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
            }
        }
        return results;
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
    private Attempt apply(K key, String segment, ProcessorEntry<K, V> entry, byte[] read) {
        boolean existed = entry.existedBefore();
        switch (entry.change()) {
            case NONE, REMOVE_MISSING -> {
                if (entry.change() == ProcessorEntry.Change.REMOVE_MISSING) {
                    r.writer().delete(key);
                }
            }
            case ACCESS -> r.touch(segment);
            case LOAD -> reads.storeLoaded(key, segment, entry.value());
            case CREATE, UPDATE -> {
                V value = entry.value();
                byte[] bytes = r.encodeValue(value);
                r.writer().write(key, value);
                long creation = existed ? r.expiry().creationHint() : r.expiry().resolve(r.expiry().creationHint(), false);
                long update = existed ? r.expiry().resolve(r.expiry().updateHint(), true) : r.expiry().updateHint();
                MutationResult result = r.store().mutate(segment, Mutation.compareAndSet(read, bytes, creation, update));
                if (result.outcome() == Outcome.CONFLICT) {
                    return new Attempt(false, result.previous());
                }
                writes.countPut(result);
                MutationResult withPrevious = new MutationResult(result.outcome(), read);
                writes.firePut(key, value, segment, withPrevious);
                countRead(existed);
                return new Attempt(true, result.outcome().stored() ? bytes : null);
            }
            case REMOVE -> {
                r.writer().delete(key);
                MutationResult result = r.store().mutate(segment, Mutation.removeIfEquals(read));
                if (result.outcome() == Outcome.CONFLICT) {
                    return new Attempt(false, result.previous());
                }
                r.statistics().removals(1);
                if (r.wants(EventType.REMOVED)) {
                    r.fire(EntryEvent.removed(r.cache(), key, entry.existedBefore() ? r.decode(segment, read) : null));
                }
                countRead(existed);
                return new Attempt(true, null);
            }
            default -> throw new IllegalStateException("unknown change " + entry.change());
        }
        countRead(existed);
        return new Attempt(true, read);
    }

    private void countRead(boolean existed) {
        if (existed) {
            r.statistics().hits(1);
        } else {
            r.statistics().misses(1);
        }
    }
}
