package io.github.jcacheredis;

import io.github.jcacheredis.codec.Codecs;
import io.github.jcacheredis.event.EventDispatcher;
import io.github.jcacheredis.expiry.ExpiryDecisions;
import io.github.jcacheredis.integration.ReadThrough;
import io.github.jcacheredis.integration.WriteThrough;
import io.github.jcacheredis.management.CacheStatistics;
import io.github.jcacheredis.event.SharedEvents;
import io.github.jcacheredis.storage.EntryStore;
import java.util.function.Function;

/**
 * What the manager builds for a new cache before the cache object itself exists; {@code sharing}
 * links the cache to the other instances once it exists.
 */
record CacheParts<K, V>(
        String name,
        Codecs codecs,
        EntryStore store,
        ExpiryDecisions expiry,
        EventDispatcher<K, V> events,
        CacheStatistics statistics,
        WriteThrough<K, V> writer,
        ReadThrough<K, V> loader,
        Function<CacheResources<K, V>, SharedEvents> sharing) {
}
