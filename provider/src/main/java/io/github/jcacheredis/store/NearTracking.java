package io.github.jcacheredis.store;

import io.github.jcacheredis.config.ServerBlocks;
import io.github.jcacheredis.near.NearCache;
import io.github.jcacheredis.near.NearInvalidation;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one manager's near caches in step with Redis through server-assisted client-side caching:
 * one {@link TrackingConnection} per master tracks the prefixes of all the manager's near-cached
 * caches, so Redis itself reports every change to their keys, whoever makes it (any instance, an
 * external client, expiry, eviction, a flush), without any instance knowing who keeps a near
 * cache. A near cache is used only while its invalidations are certain to arrive: it is emptied
 * and set aside whenever a tracking connection is lost, or the masters change (a failover), until
 * new connections are confirmed.
 *
 * <p>Where the server refuses tracking (older than 6, an ACL, a proxy) or the manager says
 * {@code near-cache-invalidation=published}, {@link #register} answers false and the caller uses
 * the invalidations the writers publish instead; which of the two is in use is logged once.
 */
public final class NearTracking implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(NearTracking.class);
    /** How often connections are pinged, checked, and the masters compared. */
    static final long WATCH_MILLIS = TrackingConnection.PING_MILLIS;

    private final RedissonClient redis;
    private final NearInvalidation mode;
    private final String managerName;
    private final int timeoutMillis;
    private final Map<String, NearCache> tiers = new ConcurrentHashMap<>();
    private final TrackingConnection.Receiver receiver = new Receiver();
    private Map<InetSocketAddress, TrackingConnection> connections = Map.of();
    private Boolean available;
    private boolean logged;
    private boolean closed;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> watch;

    public NearTracking(RedissonClient redis, NearInvalidation mode, String managerName, long timeoutMillis,
                        ScheduledExecutorService scheduler) {
        this.redis = redis;
        this.scheduler = scheduler;
        this.mode = mode;
        this.managerName = managerName;
        this.timeoutMillis = (int) Math.max(timeoutMillis, 1000);
    }

    /**
     * Has Redis report changes to the cache's keys to {@code near}; false when tracking is not
     * available or not wanted, and the near cache must rely on published invalidations.
     *
     * @throws CacheException when {@code near-cache-invalidation=tracking} and Redis refuses it
     */
    public synchronized boolean register(KeyLayout layout, NearCache near) {
        if (closed || mode == NearInvalidation.PUBLISHED || Boolean.FALSE.equals(available)) {
            logMode(null);
            return false;
        }
        near.distrust();
        tiers.put(layout.prefix(), near);
        try {
            rebuild();
        } catch (TrackingConnection.Refused refused) {
            tiers.remove(layout.prefix());
            available = false;
            if (mode == NearInvalidation.TRACKING) {
                throw new CacheException("near-cache-invalidation=tracking, but Redis refuses CLIENT TRACKING for"
                        + " CacheManager " + managerName + ": " + refused.getMessage());
            }
            logMode(refused.getMessage());
            return false;
        } catch (IOException unreachable) {
            LOG.warn("cannot open the tracking connections of CacheManager {} now ({}); its near caches are not used"
                    + " until they are open", managerName, unreachable.getMessage());
        }
        available = true;
        logMode(null);
        startWatching();
        return true;
    }

    /**
     * Stops reporting changes of a cache's keys to {@code near} (its near cache closed). A cache of
     * the same name created again while this one was closing has registered a tier of its own
     * under the same prefix: that one stays.
     */
    public void unregister(KeyLayout layout, NearCache near) {
        tiers.remove(layout.prefix(), near);
    }

    private void logMode(String refusal) {
        if (logged) {
            return;
        }
        logged = true;
        if (mode == NearInvalidation.PUBLISHED) {
            LOG.info("near caches of CacheManager {} learn of changes from invalidations the writers publish"
                    + " (near-cache-invalidation=published)", managerName);
        } else if (refusal != null) {
            LOG.warn("near caches of CacheManager {} learn of changes from invalidations the writers publish, which"
                    + " writes from outside the provider and evictions do not send: Redis refuses CLIENT TRACKING ({})",
                    managerName, refusal);
        } else {
            LOG.info("near caches of CacheManager {} learn of every change from Redis itself (CLIENT TRACKING)",
                    managerName);
        }
    }

    /**
     * Opens connections to every master tracking every prefix, then closes the previous ones, and
     * starts every tier afresh. The previous connections' invalidations on their way are lost
     * with them: one may have gone silent without being found out yet (that takes three seconds),
     * or hold a report not read yet, so a tier kept as it was could keep a replaced value for ever
     * (seen in {@code NearTrackingFaultTests}, with a second near-cached cache created meanwhile).
     * A new connection lost before the tiers are trusted (its loss may have been reported before
     * they were) leaves them set aside for the next check to reopen.
     */
    private synchronized void rebuild() throws IOException {
        Map<InetSocketAddress, TrackingConnection> opened = new HashMap<>();
        Set<String> prefixes = new LinkedHashSet<>(tiers.keySet());
        try {
            for (TrackingEndpoint endpoint : endpoints()) {
                opened.put(endpoint.address(), TrackingConnection.open(endpoint, prefixes, timeoutMillis, receiver));
            }
        } catch (IOException | RuntimeException e) {
            opened.values().forEach(TrackingConnection::close);
            throw e;
        }
        Map<InetSocketAddress, TrackingConnection> previous = connections;
        connections = opened;
        previous.values().forEach(TrackingConnection::close);
        tiers.values().forEach(NearCache::trust);
        if (!opened.values().stream().allMatch(TrackingConnection::isOpen)) {
            distrustAll();
        }
    }

    private void startWatching() {
        if (watch == null) {
            watch = scheduler.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Pings, notices silent or lost connections, changed masters and tiers set aside, and reconnects. */
    private void watch() {
        Map<InetSocketAddress, TrackingConnection> current;
        synchronized (this) {
            if (closed || tiers.isEmpty()) {
                return;
            }
            current = connections;
        }
        boolean healthy = !current.isEmpty();
        for (TrackingConnection connection : current.values()) {
            if (!connection.isOpen() || connection.silentNanos() > TimeUnit.MILLISECONDS.toNanos(3 * WATCH_MILLIS)) {
                healthy = false;
            } else {
                connection.ping();
            }
        }
        try {
            if (healthy && allTrusted() && current.keySet().equals(masters())) {
                return;
            }
        } catch (RuntimeException e) {
            healthy = false; // the masters cannot be listed now: Redis is unreachable
        }
        distrustAll();
        try {
            rebuild();
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot reopen the tracking connections of CacheManager {} yet", managerName, e);
        }
    }

    /**
     * False while a tier is set aside although its connections look healthy: one registered while
     * they could not be opened, or one whose replaced connection reported its loss late.
     */
    private boolean allTrusted() {
        return tiers.values().stream().allMatch(NearCache::isTrusted);
    }

    private void distrustAll() {
        tiers.values().forEach(NearCache::distrust);
    }

    private Set<InetSocketAddress> masters() {
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        for (RedisNode node : RedisTopology.masters(redis)) {
            addresses.add(node.getAddr());
        }
        return addresses;
    }

    private List<TrackingEndpoint> endpoints() {
        Config config = RedisTopology.config(redis);
        BaseConfig<?> servers = ServerBlocks.of(config);
        boolean tls = RedisTopology.usesTls(config);
        @SuppressWarnings("deprecation")
        String username = config.getUsername() != null ? config.getUsername() : servers.getUsername();
        @SuppressWarnings("deprecation")
        String password = config.getPassword() != null ? config.getPassword() : servers.getPassword();
        return masters().stream().map(address -> new TrackingEndpoint(address, tls, username, password, servers)).toList();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
        connections.values().forEach(TrackingConnection::close);
        connections = Map.of();
        tiers.clear();
    }

    /** Routes what the connections report to the near caches of the keys' caches. */
    private final class Receiver implements TrackingConnection.Receiver {

        @Override
        public void invalidated(String key) {
            for (Map.Entry<String, NearCache> tier : tiers.entrySet()) {
                if (key.startsWith(tier.getKey())) {
                    tier.getValue().invalidate(key.substring(tier.getKey().length()));
                    return;
                }
            }
        }

        @Override
        public void flushed() {
            tiers.values().forEach(NearCache::invalidateAll);
        }

        @Override
        public void lost(TrackingConnection connection, Exception cause) {
            LOG.debug("lost the {} of CacheManager {}: {}", connection, managerName, cause.toString());
            distrustAll();
        }
    }
}
