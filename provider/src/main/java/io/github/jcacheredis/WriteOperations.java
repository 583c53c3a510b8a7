package io.github.jcacheredis;

import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.storage.Mutation;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.cache.event.EventType;

/**
 * The single-entry writes: put and its variants, replace, remove. Without a CacheWriter they are
 * one conditional write each, lock-free; with one, {@link LeasedWrites} carries them out under the
 * entry's write lease, so that the writer is called exactly when the write takes effect.
 */
final class WriteOperations<K, V> {

    private final CacheResources<K, V> r;
    private final OwnKeyWrites ownKeys;
    private final LeasedWrites<K, V> leased;

    WriteOperations(CacheResources<K, V> resources, OwnKeyWrites ownKeys) {
        this.r = resources;
        this.ownKeys = ownKeys;
        this.leased = resources.writer().isEnabled() ? new LeasedWrites<>(resources, this) : null;
    }

    /** Notes writes of {@code segments} for entry processors of those keys running on this thread. */
    void writing(Iterable<String> segments) {
        segments.forEach(ownKeys::writing);
    }

    /** The leased path, or null for a cache without a writer. */
    LeasedWrites<K, V> leased() {
        return leased;
    }

    void put(K key, V value) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        if (leased != null) {
            leased.put(key, value, false);
        } else {
            MutationResult result = store(segment, r.encodeValue(value), false);
            countPut(result);
            firePut(key, value, segment, result);
        }
        r.statistics().recordPutTime(start);
    }

    V getAndPut(K key, V value) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        V previous;
        if (leased != null) {
            previous = leased.put(key, value, true);
        } else {
            MutationResult result = store(segment, r.encodeValue(value), true);
            previous = r.decode(segment, result.previous());
            countPut(result);
            firePut(key, value, segment, result);
        }
        countRead(previous != null);
        r.statistics().recordGetTime(start);
        r.statistics().recordPutTime(start);
        return previous;
    }

    boolean putIfAbsent(K key, V value) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        if (leased != null) {
            boolean stored = leased.putIfAbsent(key, value);
            if (stored) {
                r.statistics().recordPutTime(start);
            }
            return stored;
        }
        byte[] bytes = r.encodeValue(value);
        long ttl = r.expiry().creationHint();
        MutationResult result = r.store().putIfAbsent(segment, bytes, ttl);
        if (result.outcome() == Outcome.CONFLICT) {
            countRead(true);
            return false;
        }
        countRead(false);
        countPut(result);
        firePut(key, value, segment, result);
        r.statistics().recordPutTime(start);
        return true;
    }

    boolean replace(K key, V value) {
        return replace(key, value, false) != null;
    }

    V getAndReplace(K key, V value) {
        MutationResult result = replace(key, value, true);
        return result == null ? null : r.decode(r.encodeKey(key), result.previous());
    }

    /** Replaces an existing entry; null when there was none. */
    private MutationResult replace(K key, V value, boolean returnPrevious) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        if (leased != null) {
            MutationResult result = leased.replace(key, null, value);
            boolean replaced = result.outcome() != Outcome.ABSENT;
            countRead(replaced);
            if (replaced) {
                r.statistics().recordPutTime(start);
            }
            return replaced ? result : null;
        }
        byte[] bytes = r.encodeValue(value);
        boolean needPrevious = returnPrevious || r.wants(EventType.UPDATED);
        MutationResult result = r.store().mutate(segment,
                Mutation.replace(bytes, r.expiry().updateHint(), needPrevious));
        if (result.outcome() == Outcome.CONFLICT) {
            countRead(false);
            return null;
        }
        countRead(true);
        countPut(result);
        firePut(key, value, segment, result);
        r.statistics().recordPutTime(start);
        return result;
    }

    boolean replace(K key, V oldValue, V newValue) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        MutationResult result;
        if (leased != null) {
            result = leased.replace(key, oldValue, newValue);
        } else {
            byte[] bytes = r.encodeValue(newValue);
            result = whenEquals(segment, oldValue, current -> Mutation.replaceIfEquals(current, bytes,
                    r.expiry().updateHint()));
        }
        if (result.outcome() == Outcome.ABSENT) {
            countRead(false);
            return false;
        }
        countRead(true);
        if (result.outcome() == Outcome.CONFLICT) {
            r.touch(segment); // a present entry that did not match was read: an access
            return false;
        }
        if (leased == null) {
            countPut(result);
            firePut(key, newValue, segment, result);
        }
        r.statistics().recordPutTime(start);
        return true;
    }

    boolean remove(K key) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        boolean removed;
        if (leased != null) {
            removed = leased.remove(key, null, false).outcome() == Outcome.DELETED;
        } else {
            MutationResult result = r.store().remove(segment, r.wants(EventType.REMOVED));
            removed = result.outcome() == Outcome.DELETED;
            if (removed) {
                r.statistics().removals(1);
                fireRemoved(key, segment, result, result.previous());
            }
        }
        r.statistics().recordRemoveTime(start);
        return removed;
    }

    boolean remove(K key, V oldValue) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        if (leased != null) {
            MutationResult result = leased.remove(key, oldValue, true);
            return countConditionalRemove(segment, result, start);
        }
        MutationResult result = whenEquals(segment, oldValue, Mutation::removeIfEquals);
        if (result.outcome() == Outcome.DELETED) {
            r.statistics().removals(1);
            fireRemoved(key, segment, result, result.previous());
        }
        return countConditionalRemove(segment, result, start);
    }

    private boolean countConditionalRemove(String segment, MutationResult result, long start) {
        if (result.outcome() == Outcome.ABSENT) {
            countRead(false);
            return false;
        }
        countRead(true);
        if (result.outcome() == Outcome.CONFLICT) {
            r.touch(segment); // a present entry that did not match was read: an access
            return false;
        }
        r.statistics().recordRemoveTime(start);
        return true;
    }

    V getAndRemove(K key) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        ownKeys.writing(segment);
        V previous;
        if (leased != null) {
            previous = r.decode(segment, leased.remove(key, null, false).previous());
        } else {
            MutationResult result = r.store().remove(segment, true);
            previous = r.decode(segment, result.previous());
            if (result.outcome() == Outcome.DELETED) {
                r.statistics().removals(1);
                fireRemoved(key, segment, result, result.previous());
            }
        }
        countRead(previous != null);
        r.statistics().recordGetTime(start);
        r.statistics().recordRemoveTime(start);
        return previous;
    }

    /**
     * A write that applies only while the entry equals {@code expected} by {@code equals()} (caches
     * without a writer). The first attempt compares bytes in Redis; when those differ, the current
     * value is compared in Java and the write retried against its exact bytes.
     *
     * @return ABSENT when there is no entry, CONFLICT when it differs, else the write's result
     */
    private MutationResult whenEquals(String segment, V expected, Function<byte[], Mutation> mutation) {
        byte[] current = null;
        boolean known = false;
        while (true) {
            byte[] target;
            if (known) {
                if (current == null) {
                    return new MutationResult(Outcome.ABSENT, null);
                }
                if (!Objects.equals(r.decode(segment, current), expected)) {
                    return new MutationResult(Outcome.CONFLICT, current);
                }
                target = current;
            } else {
                target = r.encodeValue(expected);
            }
            MutationResult result = r.store().mutate(segment, mutation.apply(target));
            if (result.outcome() != Outcome.CONFLICT) {
                return result;
            }
            current = result.previous();
            known = true;
        }
    }

    /** Stores a value with the creation or update TTL; the outcome is exact when listeners need it. */
    MutationResult store(String segment, byte[] bytes, boolean returnPrevious) {
        boolean needPrevious = returnPrevious || r.wants(EventType.UPDATED);
        long creation = r.expiry().creationHint();
        long update = r.expiry().updateHint();
        return r.store().put(segment, bytes, creation, update, r.events().hasListeners(), needPrevious);
    }

    void countPut(MutationResult result) {
        if (result.outcome() != Outcome.NOT_STORED && result.outcome() != Outcome.SKIPPED) {
            r.statistics().puts(1);
        }
    }

    private void countRead(boolean hit) {
        if (hit) {
            r.statistics().hits(1);
        } else {
            r.statistics().misses(1);
        }
    }

    /**
     * The events of a stored value: CREATED, UPDATED, or UPDATED then EXPIRED for a zero update TTL.
     * Called for every write result, with or without events, so that a write whose events come
     * back through Redis is accounted for.
     */
    void firePut(K key, V value, String segment, MutationResult result) {
        List<EntryEvent<K, V>> events = new ArrayList<>(2);
        switch (result.outcome()) {
            case CREATED -> {
                if (r.wants(EventType.CREATED)) {
                    events.add(EntryEvent.created(r.cache(), key, value));
                }
            }
            case UPDATED, EXPIRED_ON_UPDATE -> {
                if (r.wants(EventType.UPDATED)) {
                    events.add(EntryEvent.updated(r.cache(), key, value, r.decode(segment, result.previous())));
                }
                if (result.outcome() == Outcome.EXPIRED_ON_UPDATE && r.wants(EventType.EXPIRED)) {
                    events.add(EntryEvent.expired(r.cache(), key, value));
                }
            }
            default -> {
                // nothing stored, or not asked what happened because nobody listens
            }
        }
        r.fire(result, events);
    }

    /** The REMOVED event of a removal that removed {@code previous}. */
    void fireRemoved(K key, String segment, MutationResult result, byte[] previous) {
        r.fire(result, r.wants(EventType.REMOVED)
                ? List.of(EntryEvent.removed(r.cache(), key, r.decode(segment, previous))) : List.of());
    }
}
