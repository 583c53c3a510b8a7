package io.github.jcacheredis;

import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.store.Mutation;
import io.github.jcacheredis.store.MutationResult;
import io.github.jcacheredis.store.Outcome;
import java.util.Objects;
import java.util.function.Function;
import javax.cache.event.EventType;

/** The single-entry writes: put and its variants, replace, remove. Write-through comes first. */
final class WriteOperations<K, V> {

    private final CacheResources<K, V> r;

    WriteOperations(CacheResources<K, V> resources) {
        this.r = resources;
    }

    void put(K key, V value) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        byte[] bytes = r.encodeValue(value);
        r.writer().write(key, value);
        MutationResult result = store(segment, bytes, false);
        countPut(result);
        firePut(key, value, segment, result);
        r.statistics().recordPutTime(start);
    }

    V getAndPut(K key, V value) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        byte[] bytes = r.encodeValue(value);
        r.writer().write(key, value);
        MutationResult result = store(segment, bytes, true);
        V previous = r.decode(segment, result.previous());
        countRead(previous != null);
        countPut(result);
        firePut(key, value, segment, result);
        r.statistics().recordGetTime(start);
        r.statistics().recordPutTime(start);
        return previous;
    }

    boolean putIfAbsent(K key, V value) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        byte[] bytes = r.encodeValue(value);
        if (r.writer().isEnabled()) {
            if (r.store().exists(segment)) {
                countRead(true);
                return false;
            }
            r.writer().write(key, value);
        }
        long ttl = r.expiry().creationHint();
        MutationResult result = Writes.resolve(r, segment, Mutation.putIfAbsent(bytes, ttl),
                r.store().putIfAbsent(segment, bytes, ttl));
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
        byte[] bytes = r.encodeValue(value);
        if (r.writer().isEnabled()) {
            if (!r.store().exists(segment)) {
                countRead(false);
                return null;
            }
            r.writer().write(key, value);
        }
        boolean needPrevious = returnPrevious || r.wants(EventType.UPDATED);
        MutationResult result = Writes.run(r, segment,
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
        byte[] bytes = r.encodeValue(newValue);
        MutationResult result = whenEquals(key, segment, oldValue,
                current -> Mutation.replaceIfEquals(current, bytes, r.expiry().updateHint()),
                () -> r.writer().write(key, newValue));
        if (result.outcome() == Outcome.ABSENT) {
            countRead(false);
            return false;
        }
        countRead(true);
        if (result.outcome() == Outcome.CONFLICT) {
            r.touch(segment); // a present entry that did not match was read: an access
            return false;
        }
        countPut(result);
        firePut(key, newValue, segment, result);
        r.statistics().recordPutTime(start);
        return true;
    }

    boolean remove(K key) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        r.writer().delete(key);
        MutationResult result = r.store().remove(segment, r.wants(EventType.REMOVED));
        boolean removed = result.outcome() == Outcome.DELETED;
        if (removed) {
            r.statistics().removals(1);
            fireRemoved(key, segment, result.previous());
        }
        r.statistics().recordRemoveTime(start);
        return removed;
    }

    boolean remove(K key, V oldValue) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        MutationResult result = whenEquals(key, segment, oldValue, Mutation::removeIfEquals,
                () -> r.writer().delete(key));
        if (result.outcome() == Outcome.ABSENT) {
            countRead(false);
            return false;
        }
        countRead(true);
        if (result.outcome() == Outcome.CONFLICT) {
            r.touch(segment); // a present entry that did not match was read: an access
            return false;
        }
        r.statistics().removals(1);
        fireRemoved(key, segment, result.previous());
        r.statistics().recordRemoveTime(start);
        return true;
    }

    V getAndRemove(K key) {
        long start = r.statistics().start();
        String segment = r.encodeKey(key);
        r.writer().delete(key);
        MutationResult result = r.store().remove(segment, true);
        V previous = r.decode(segment, result.previous());
        countRead(previous != null);
        if (result.outcome() == Outcome.DELETED) {
            r.statistics().removals(1);
            fireRemoved(key, segment, result.previous());
        }
        r.statistics().recordGetTime(start);
        r.statistics().recordRemoveTime(start);
        return previous;
    }

    /**
     * A write that applies only while the entry equals {@code expected} by {@code equals()}. The
     * first attempt compares bytes in Redis; when those differ, the current value is compared in
     * Java and the write retried against its exact bytes. With write-through the current value is
     * read and compared first, so the writer is only called when the write applies.
     *
     * @return ABSENT when there is no entry, CONFLICT when it differs, else the write's result
     */
    private MutationResult whenEquals(K key, String segment, V expected, Function<byte[], Mutation> mutation,
                                      Runnable beforeWrite) {
        byte[] current = null;
        boolean known = false;
        if (r.writer().isEnabled()) {
            current = r.store().get(segment);
            known = true;
        }
        while (true) {
            byte[] target;
            if (known) {
                if (current == null) {
                    return new MutationResult(Outcome.ABSENT, null);
                }
                if (!Objects.equals(r.decode(segment, current), expected)) {
                    return new MutationResult(Outcome.CONFLICT, current);
                }
                beforeWrite.run();
                target = current;
            } else {
                target = r.encodeValue(expected);
            }
            MutationResult result = Writes.run(r, segment, mutation.apply(target));
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
        MutationResult first = r.store().put(segment, bytes, creation, update, r.events().hasListeners(), needPrevious);
        return Writes.resolve(r, segment, Mutation.put(bytes, creation, update, needPrevious), first);
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

    /** The events of a stored value: CREATED, UPDATED, or UPDATED then EXPIRED for a zero update TTL. */
    void firePut(K key, V value, String segment, MutationResult result) {
        switch (result.outcome()) {
            case CREATED -> {
                if (r.wants(EventType.CREATED)) {
                    r.fire(EntryEvent.created(r.cache(), key, value));
                }
            }
            case UPDATED -> {
                if (r.wants(EventType.UPDATED)) {
                    r.fire(EntryEvent.updated(r.cache(), key, value, r.decode(segment, result.previous())));
                }
            }
            case EXPIRED_ON_UPDATE -> {
                if (r.wants(EventType.UPDATED)) {
                    r.fire(EntryEvent.updated(r.cache(), key, value, r.decode(segment, result.previous())));
                }
                if (r.wants(EventType.EXPIRED)) {
                    r.fire(EntryEvent.expired(r.cache(), key, value));
                }
            }
            default -> {
                // nothing stored, or not asked what happened because nobody listens
            }
        }
    }

    void fireRemoved(K key, String segment, byte[] previous) {
        if (r.wants(EventType.REMOVED)) {
            r.fire(EntryEvent.removed(r.cache(), key, r.decode(segment, previous)));
        }
    }
}
