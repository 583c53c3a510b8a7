package io.github.jcacheredis;

import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.cache.event.EventType;

/**
 * The single-entry writes: put and its variants, replace, remove. Without a CacheWriter they are
 * one conditional write each, lock-free; with one, {@link LeasedWrites} carries them out under the
 * entry's write lease, so that the writer is called exactly when the write takes effect.
 */
final class WriteOperations<K, V> {

    private final EntryCodec<K, V> codec;
    private final EntryStore store;
    private final ExpiryDecisions expiry;
    private final CacheEvents<K, V> events;
    private final CacheStatistics statistics;
    private final WriteThrough<K, V> writer;
    private final OwnKeyWrites ownKeys;
    private final LeasedWrites<K, V> leased;

    /**
     * @param retries where a write-through cache retries, in the background, removing an entry
     *                whose write to the cache failed after its CacheWriter ran
     */
    WriteOperations(EntryCodec<K, V> codec, EntryStore store, ExpiryDecisions expiry, CacheEvents<K, V> events,
                    CacheStatistics statistics, WriteThrough<K, V> writer, OwnKeyWrites ownKeys, Executor retries) {
        this.codec = codec;
        this.store = store;
        this.expiry = expiry;
        this.events = events;
        this.statistics = statistics;
        this.writer = writer;
        this.ownKeys = ownKeys;
        this.leased = writer.isEnabled()
                ? new LeasedWrites<>(codec, store, expiry, events, statistics, writer, this, retries) : null;
    }

    /** Notes writes of {@code encodedKeys} for entry processors of those keys running on this thread. */
    void writing(Iterable<String> encodedKeys) {
        encodedKeys.forEach(ownKeys::writing);
    }

    /** The leased path, or null for a cache without a writer. */
    LeasedWrites<K, V> leased() {
        return leased;
    }

    void put(K key, V value) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        if (leased != null) {
            leased.put(key, value, false);
        } else {
            MutationResult result = store(encodedKey, codec.encodeValue(value), false);
            countPut(result);
            firePut(key, value, encodedKey, result);
        }
        statistics.recordPutTime(start);
    }

    V getAndPut(K key, V value) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        V previous;
        if (leased != null) {
            previous = leased.put(key, value, true);
        } else {
            MutationResult result = store(encodedKey, codec.encodeValue(value), true);
            previous = codec.decode(encodedKey, result.previous());
            countPut(result);
            firePut(key, value, encodedKey, result);
        }
        countRead(previous != null);
        statistics.recordGetTime(start);
        statistics.recordPutTime(start);
        return previous;
    }

    boolean putIfAbsent(K key, V value) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        if (leased != null) {
            boolean stored = leased.putIfAbsent(key, value);
            if (stored) {
                statistics.recordPutTime(start);
            }
            return stored;
        }
        byte[] bytes = codec.encodeValue(value);
        long ttl = expiry.creationHint();
        MutationResult result = store.putIfAbsent(encodedKey, bytes, ttl);
        if (result.outcome() == Outcome.CONFLICT) {
            countRead(true);
            return false;
        }
        countRead(false);
        countPut(result);
        firePut(key, value, encodedKey, result);
        statistics.recordPutTime(start);
        return true;
    }

    boolean replace(K key, V value) {
        return replace(key, value, false) != null;
    }

    V getAndReplace(K key, V value) {
        MutationResult result = replace(key, value, true);
        return result == null ? null : codec.decode(codec.encodeKey(key), result.previous());
    }

    /** Replaces an existing entry; null when there was none. */
    private MutationResult replace(K key, V value, boolean returnPrevious) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        if (leased != null) {
            MutationResult result = leased.replace(key, null, value);
            boolean replaced = result.outcome() != Outcome.ABSENT;
            countRead(replaced);
            if (replaced) {
                statistics.recordPutTime(start);
            }
            return replaced ? result : null;
        }
        byte[] bytes = codec.encodeValue(value);
        boolean needPrevious = returnPrevious || events.wants(EventType.UPDATED);
        MutationResult result = store.mutate(encodedKey,
                Mutation.replace(bytes, expiry.updateHint(), needPrevious));
        if (result.outcome() == Outcome.CONFLICT) {
            countRead(false);
            return null;
        }
        countRead(true);
        countPut(result);
        firePut(key, value, encodedKey, result);
        statistics.recordPutTime(start);
        return result;
    }

    boolean replace(K key, V oldValue, V newValue) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        MutationResult result;
        if (leased != null) {
            result = leased.replace(key, oldValue, newValue);
        } else {
            byte[] bytes = codec.encodeValue(newValue);
            result = whenEquals(encodedKey, oldValue, current -> Mutation.replaceIfEquals(current, bytes,
                    expiry.updateHint()));
        }
        if (result.outcome() == Outcome.ABSENT) {
            countRead(false);
            return false;
        }
        countRead(true);
        if (result.outcome() == Outcome.CONFLICT) {
            expiry.touch(store, encodedKey); // a present entry that did not match was read: an access
            return false;
        }
        if (leased == null) {
            countPut(result);
            firePut(key, newValue, encodedKey, result);
        }
        statistics.recordPutTime(start);
        return true;
    }

    boolean remove(K key) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        boolean removed;
        if (leased != null) {
            removed = leased.remove(key, null, false).outcome() == Outcome.DELETED;
        } else {
            MutationResult result = store.remove(encodedKey, events.wants(EventType.REMOVED));
            removed = result.outcome() == Outcome.DELETED;
            if (removed) {
                statistics.removals(1);
                fireRemoved(key, encodedKey, result, result.previous());
            }
        }
        statistics.recordRemoveTime(start);
        return removed;
    }

    boolean remove(K key, V oldValue) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        if (leased != null) {
            MutationResult result = leased.remove(key, oldValue, true);
            return countConditionalRemove(encodedKey, result, start);
        }
        MutationResult result = whenEquals(encodedKey, oldValue, Mutation::removeIfEquals);
        if (result.outcome() == Outcome.DELETED) {
            statistics.removals(1);
            fireRemoved(key, encodedKey, result, result.previous());
        }
        return countConditionalRemove(encodedKey, result, start);
    }

    private boolean countConditionalRemove(String encodedKey, MutationResult result, long start) {
        if (result.outcome() == Outcome.ABSENT) {
            countRead(false);
            return false;
        }
        countRead(true);
        if (result.outcome() == Outcome.CONFLICT) {
            expiry.touch(store, encodedKey); // a present entry that did not match was read: an access
            return false;
        }
        statistics.recordRemoveTime(start);
        return true;
    }

    V getAndRemove(K key) {
        long start = statistics.start();
        String encodedKey = codec.encodeKey(key);
        ownKeys.writing(encodedKey);
        V previous;
        if (leased != null) {
            previous = codec.decode(encodedKey, leased.remove(key, null, false).previous());
        } else {
            MutationResult result = store.remove(encodedKey, true);
            previous = codec.decode(encodedKey, result.previous());
            if (result.outcome() == Outcome.DELETED) {
                statistics.removals(1);
                fireRemoved(key, encodedKey, result, result.previous());
            }
        }
        countRead(previous != null);
        statistics.recordGetTime(start);
        statistics.recordRemoveTime(start);
        return previous;
    }

    /**
     * A write that applies only while the entry equals {@code expected} by {@code equals()} (caches
     * without a writer). The first attempt compares bytes in Redis; when those differ, the current
     * value is compared in Java and the write retried against its exact bytes.
     *
     * @return ABSENT when there is no entry, CONFLICT when it differs, else the write's result
     */
    private MutationResult whenEquals(String encodedKey, V expected, Function<byte[], Mutation> mutation) {
        byte[] current = null;
        boolean known = false;
        while (true) {
            byte[] target;
            if (known) {
                if (current == null) {
                    return new MutationResult(Outcome.ABSENT, null);
                }
                if (!Objects.equals(codec.decode(encodedKey, current), expected)) {
                    return new MutationResult(Outcome.CONFLICT, current);
                }
                target = current;
            } else {
                target = codec.encodeValue(expected);
            }
            MutationResult result = store.mutate(encodedKey, mutation.apply(target));
            if (result.outcome() != Outcome.CONFLICT) {
                return result;
            }
            current = result.previous();
            known = true;
        }
    }

    /** Stores a value with the creation or update TTL; the outcome is exact when listeners need it. */
    MutationResult store(String encodedKey, byte[] bytes, boolean returnPrevious) {
        boolean needPrevious = returnPrevious || events.wants(EventType.UPDATED);
        long creation = expiry.creationHint();
        long update = expiry.updateHint();
        return store.put(encodedKey, bytes, creation, update, events.hasListeners(), needPrevious);
    }

    void countPut(MutationResult result) {
        if (result.outcome() != Outcome.NOT_STORED && result.outcome() != Outcome.SKIPPED) {
            statistics.puts(1);
        }
    }

    private void countRead(boolean hit) {
        if (hit) {
            statistics.hits(1);
        } else {
            statistics.misses(1);
        }
    }

    /**
     * The events of a stored value: CREATED, UPDATED, or UPDATED then EXPIRED for a zero update TTL.
     * Called for every write result, with or without events, so that a write whose events come
     * back through Redis is accounted for.
     */
    void firePut(K key, V value, String encodedKey, MutationResult result) {
        List<EntryEvent<K, V>> fired = new ArrayList<>(2);
        switch (result.outcome()) {
            case CREATED -> {
                if (events.wants(EventType.CREATED)) {
                    fired.add(EntryEvent.created(events.source(), key, value));
                }
            }
            case UPDATED, EXPIRED_ON_UPDATE -> {
                if (events.wants(EventType.UPDATED)) {
                    V previous = codec.decode(encodedKey, result.previous());
                    fired.add(EntryEvent.updated(events.source(), key, value, previous));
                }
                if (result.outcome() == Outcome.EXPIRED_ON_UPDATE && events.wants(EventType.EXPIRED)) {
                    fired.add(EntryEvent.expired(events.source(), key, value));
                }
            }
            default -> {
                // nothing stored, or not asked what happened because nobody listens
            }
        }
        events.fire(result, fired);
    }

    /** The REMOVED event of a removal that removed {@code previous}. */
    void fireRemoved(K key, String encodedKey, MutationResult result, byte[] previous) {
        events.fire(result, events.wants(EventType.REMOVED)
                ? List.of(EntryEvent.removed(events.source(), key, codec.decode(encodedKey, previous))) : List.of());
    }
}
