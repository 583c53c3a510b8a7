package io.github.jcacheredis;

import io.github.jcacheredis.codec.KeyCodec;
import io.github.jcacheredis.codec.ValueCodec;
import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.event.EventDispatcher;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.storage.Ttl;
import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import java.util.List;
import javax.cache.Cache;
import javax.cache.event.EventType;

/**
 * The collaborators of one cache, built with the cache from what the manager made for it
 * ({@link CacheParts}) and shared by the classes that carry out its operations. Holds the few
 * conversions every operation needs.
 */
record CacheResources<K, V>(
        String name,
        Cache<K, V> cache,
        Class<K> keyType,
        Class<V> valueType,
        KeyCodec keys,
        ValueCodec values,
        EntryStore store,
        ExpiryDecisions expiry,
        EventDispatcher<K, V> events,
        CacheStatistics statistics,
        WriteThrough<K, V> writer,
        ReadThrough<K, V> loader) {

    String encodeKey(K key) {
        return keys.encode(key);
    }

    byte[] encodeValue(V value) {
        return values.encode(value);
    }

    /** The value for bytes read at {@code segment}; null stays null. */
    V decode(String segment, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return valueType.cast(values.decode(bytes, store.describe(segment)));
    }

    @SuppressWarnings("unchecked")
    K decodeKey(String segment) {
        return (K) keys.decode(segment);
    }

    /** Applies the access TTL to an entry that was read (a policy that is not constant is asked). */
    void touch(String segment) {
        long ttl = expiry.access();
        if (ttl != Ttl.KEEP) {
            store.expire(segment, ttl);
        }
    }

    boolean wants(EventType type) {
        return events.wants(type);
    }

    /**
     * Delivers the events of a write (none, one, or UPDATED and EXPIRED): at once, or in Redis'
     * order when the write published them for this instance's listeners too.
     */
    void fire(MutationResult result, List<EntryEvent<K, V>> fired) {
        if (result.writeId() == 0) {
            events.dispatch(fired);
        } else if (fired.isEmpty()) {
            events.tickets().unused(result.writeId());
        } else {
            events.dispatchWritten(result.writeId(), result.outcome() == Outcome.EXPIRED_ON_UPDATE ? 2 : 1, fired);
        }
    }

    /** The event another instance published, decoded for this instance's listeners. */
    EntryEvent<K, V> eventFrom(EventMessage message) {
        String segment = message.keySegment();
        K key = decodeKey(segment);
        V oldValue = decode(segment, message.oldValue());
        V newValue = decode(segment, message.newValue());
        return switch (message.kind()) {
            case EventMessage.CREATED -> EntryEvent.created(cache, key, newValue);
            case EventMessage.UPDATED -> EntryEvent.updated(cache, key, newValue, oldValue);
            case EventMessage.REMOVED -> EntryEvent.removed(cache, key, oldValue);
            case EventMessage.EXPIRED -> EntryEvent.expired(cache, key, oldValue);
            default -> null;
        };
    }
}
