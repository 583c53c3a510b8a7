package io.github.jcacheredis;

import io.github.jcacheredis.event.EntryEvent;
import io.github.jcacheredis.event.EventDispatcher;
import io.github.jcacheredis.storage.MutationResult;
import io.github.jcacheredis.storage.Outcome;
import io.github.jcacheredis.store.EventMessage;
import java.util.List;
import javax.cache.Cache;
import javax.cache.event.EventType;

/** The events of one cache's writes, for its listeners: whether any wants them, and their delivery. */
final class CacheEvents<K, V> {

    private final Cache<K, V> source;
    private final EventDispatcher<K, V> dispatcher;
    private final EntryCodec<K, V> codec;

    CacheEvents(Cache<K, V> source, EventDispatcher<K, V> dispatcher, EntryCodec<K, V> codec) {
        this.source = source;
        this.dispatcher = dispatcher;
        this.codec = codec;
    }

    /** The cache the events are about. */
    Cache<K, V> source() {
        return source;
    }

    EventDispatcher<K, V> dispatcher() {
        return dispatcher;
    }

    boolean wants(EventType type) {
        return dispatcher.wants(type);
    }

    boolean hasListeners() {
        return dispatcher.hasListeners();
    }

    /**
     * Delivers the events of a write (none, one, or UPDATED and EXPIRED): at once, or in Redis'
     * order when the write published them for this instance's listeners too.
     */
    void fire(MutationResult result, List<EntryEvent<K, V>> fired) {
        if (result.writeId() == 0) {
            dispatcher.dispatch(fired);
        } else if (fired.isEmpty()) {
            dispatcher.tickets().unused(result.writeId());
        } else {
            dispatcher.dispatchWritten(result.writeId(), result.outcome() == Outcome.EXPIRED_ON_UPDATE ? 2 : 1, fired);
        }
    }

    /** The event another instance published, decoded for this instance's listeners. */
    EntryEvent<K, V> eventFrom(EventMessage message) {
        String encodedKey = message.encodedKey();
        K key = codec.decodeKey(encodedKey);
        V oldValue = codec.decode(encodedKey, message.oldValue());
        V newValue = codec.decode(encodedKey, message.newValue());
        return switch (message.kind()) {
            case EventMessage.CREATED -> EntryEvent.created(source, key, newValue);
            case EventMessage.UPDATED -> EntryEvent.updated(source, key, newValue, oldValue);
            case EventMessage.REMOVED -> EntryEvent.removed(source, key, oldValue);
            case EventMessage.EXPIRED -> EntryEvent.expired(source, key, oldValue);
            default -> null;
        };
    }
}
