package io.github.jcacheredis.store;

import io.github.jcacheredis.concurrent.DaemonThreads;
import io.github.jcacheredis.config.FailureMode;
import java.io.Closeable;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one manager's Redis is reachable. The first call that finds it unreachable marks it down
 * (one warning per outage); from then on calls fail fast, or in {@link FailureMode#DEGRADE} act on
 * an empty cache, while a probe pings the masters every {@link #PROBE_MILLIS} ms. Writes skipped
 * while degraded are remembered, up to {@link #MAX_TRACKED_KEYS} keys, and deleted before the
 * manager uses Redis again, so no instance is served a value that one of them meant to replace; if
 * more were skipped, the caches they belong to are cleared instead.
 */
public final class RedisHealth implements Closeable {

    static final int MAX_TRACKED_KEYS = 10_000;
    static final long PROBE_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

    private final RedissonClient redis;
    private final FailureMode mode;
    private final String managerName;
    private final AtomicLong skippedWrites = new AtomicLong();
    private final Set<String> staleKeys = new LinkedHashSet<>();
    private final Map<String, String> cachesToClear = new LinkedHashMap<>();
    private volatile boolean down;
    private long downSince;
    private ScheduledFuture<?> probe;

    public RedisHealth(RedissonClient redis, FailureMode mode, String managerName) {
        this.redis = redis;
        this.mode = mode;
        this.managerName = managerName;
    }

    public FailureMode mode() {
        return mode;
    }

    public boolean isDown() {
        return down;
    }

    /** When the current outage began (the first call that found Redis unreachable), or empty while it is reachable. */
    public synchronized Optional<Instant> downSince() {
        return down ? Optional.of(Instant.ofEpochMilli(downSince)) : Optional.empty();
    }

    /** How many writes were skipped because Redis was unreachable (degrade mode). */
    public long skippedWrites() {
        return skippedWrites.get();
    }

    /** Called by a call that found Redis unreachable. */
    synchronized void unavailable(Throwable cause) {
        if (down) {
            return;
        }
        down = true;
        downSince = System.currentTimeMillis();
        LOG.warn("Redis is unreachable for CacheManager {} ({}); caches {} until it is back", managerName,
                cause.getMessage(), mode == FailureMode.DEGRADE ? "act as empty and skip writes" : "fail fast");
        probe = DaemonThreads.SCHEDULER.scheduleWithFixedDelay(this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Remembers writes skipped while degraded, so they can be undone in Redis once it is back. */
    synchronized void skipped(KeyLayout layout, Collection<String> segments) {
        skippedWrites.addAndGet(segments.size());
        if (cachesToClear.containsKey(layout.prefix())) {
            return;
        }
        for (String segment : segments) {
            if (staleKeys.size() >= MAX_TRACKED_KEYS) {
                if (cachesToClear.isEmpty()) {
                    LOG.error("more than {} writes were skipped while Redis was unreachable for CacheManager {};"
                            + " the caches they belong to will be cleared when it is back", MAX_TRACKED_KEYS, managerName);
                }
                cachesToClear.put(layout.prefix(), layout.scanPattern());
                return;
            }
            staleKeys.add(layout.entryKey(segment));
        }
    }

    /** Remembers that a whole cache must be cleared once Redis is back (a skipped clear). */
    synchronized void skippedClear(KeyLayout layout) {
        skippedWrites.incrementAndGet();
        cachesToClear.put(layout.prefix(), layout.scanPattern());
    }

    private void probe() {
        try {
            for (RedisNode node : RedisTopology.masters(redis)) {
                if (!node.ping()) {
                    return;
                }
            }
            recover();
        } catch (RuntimeException stillDown) {
            LOG.debug("Redis still unreachable for CacheManager {}", managerName, stillDown);
        }
    }

    private void recover() {
        String[] stale;
        Map<String, String> toClear;
        synchronized (this) {
            stale = staleKeys.toArray(String[]::new);
            toClear = new LinkedHashMap<>(cachesToClear);
        }
        if (stale.length > 0) {
            redis.getKeys().unlink(stale);
        }
        toClear.values().forEach(pattern -> KeyScans.unlinkMatching(redis, pattern, 500));
        synchronized (this) {
            staleKeys.clear();
            cachesToClear.clear();
            down = false;
            if (probe != null) {
                probe.cancel(false);
                probe = null;
            }
        }
        LOG.info("Redis is reachable again for CacheManager {} after {} ms; {} keys written meanwhile were"
                + " deleted and {} caches cleared", managerName, System.currentTimeMillis() - downSince, stale.length,
                toClear.size());
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
    }
}
