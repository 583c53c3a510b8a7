package io.github.jcacheredis;

import io.github.jcacheredis.concurrent.ManagerThreads;
import io.github.jcacheredis.config.EntryFormat;
import io.github.jcacheredis.config.ProviderSettings;
import io.github.jcacheredis.event.InstanceEvents;
import io.github.jcacheredis.event.SharedEvents;
import io.github.jcacheredis.management.MBeans;
import io.github.jcacheredis.near.NearCache;
import io.github.jcacheredis.near.NearCachedStore;
import io.github.jcacheredis.near.NearCacheSettings;
import io.github.jcacheredis.storage.EntryStore;
import io.github.jcacheredis.storage.TtlResolver;
import io.github.jcacheredis.store.EventChannels;
import io.github.jcacheredis.store.BatchSizes;
import io.github.jcacheredis.store.KeyLayout;
import io.github.jcacheredis.store.NaturalBatches;
import io.github.jcacheredis.store.NearTracking;
import io.github.jcacheredis.store.RedisConnection;
import io.github.jcacheredis.store.RedisEntryStore;
import io.github.jcacheredis.store.RedisHealth;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.redisson.api.RedissonClient;

/**
 * A manager's caches in Redis: one connection, its health (circuit breaker, skipped writes), the
 * tracking connections of near caches, and the event path to other instances.
 */
final class RedisBackend implements CacheBackend {

    /** How long a listener registration waits for the other instances to confirm it. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

    private final RedisConnection connection;
    private final ProviderSettings settings;
    private final RedisHealth health;
    private final NearTracking nearTracking;
    private final InstanceEvents instanceEvents;
    private final ManagerThreads threads;
    private final NaturalBatches batches;

    RedisBackend(RedisConnection connection, ProviderSettings settings, URI uri, ManagerThreads threads) {
        this.connection = connection;
        this.settings = settings;
        this.threads = threads;
        RedissonClient redis = connection.client();
        this.health = new RedisHealth(redis, settings.failureMode(), MBeans.withoutPassword(uri), threads.scheduler());
        this.batches = new NaturalBatches(redis, settings.batching(), settings.batchMax(), settings.timeout().toMillis(),
                health);
        this.nearTracking = new NearTracking(redis, settings.nearInvalidation(), MBeans.withoutPassword(uri),
                settings.timeout().toMillis(), threads.scheduler());
        this.instanceEvents = new InstanceEvents(new EventChannels(redis, settings.namespace()), ACK_TIMEOUT, threads);
    }

    /**
     * The Redis store, behind a near cache when {@code near} is set: Redis reports the changes to
     * its keys (tracking) where it can, else the near cache follows what the writers publish.
     */
    @Override
    public EntryStore store(String name, NearCacheSettings near, TtlResolver ttls) {
        RedisEntryStore store = redisStore(name, ttls);
        if (near == null) {
            return store;
        }
        NearCache tier = new NearCache(near);
        KeyLayout layout = store.layout();
        boolean tracked = nearTracking.register(layout, tier);
        return new NearCachedStore(store, tier, !tracked, tracked ? () -> nearTracking.unregister(layout, tier) : () -> { });
    }

    private RedisEntryStore redisStore(String name, TtlResolver ttls) {
        RedissonClient redis = connection.client();
        KeyLayout layout = settings.format() == EntryFormat.KEYV ? KeyLayout.keyv(settings.namespace(), name)
                : KeyLayout.of(settings.namespace(), name, redis);
        return new RedisEntryStore(redis, layout, name, health, ttls, threads.scheduler(), batches);
    }

    @Override
    public <K, V> Function<CacheEvents<K, V>, SharedEvents> sharing(EntryStore store) {
        NearCachedStore near = store instanceof NearCachedStore front ? front : null;
        RedisEntryStore redisStore = (RedisEntryStore) (near == null ? store : near.backing());
        return events -> instanceEvents.bridge(redisStore, near, events.dispatcher(), events::eventFrom);
    }

    @Override
    public void clear(String name) {
        RedisEntryStore store = redisStore(name, TtlResolver.ETERNAL);
        try {
            store.clear(BulkOperations.BATCH);
        } finally {
            store.close();
        }
    }

    @Override
    public long skippedWrites() {
        return health.skippedWrites();
    }

    @Override
    public Optional<Instant> unreachableSince() {
        return health.downSince();
    }

    @Override
    public BatchSizes.Snapshot batchSizes() {
        return batches.sizes().snapshot();
    }

    @Override
    public RedissonClient client() {
        return connection.client();
    }

    @Override
    public void close() {
        instanceEvents.close();
        nearTracking.close();
        health.close();
        connection.close();
        batches.abandon();
    }
}
