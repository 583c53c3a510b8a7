package io.github.jcacheredis.store;

import io.github.jcacheredis.config.FailureMode;
import java.io.Closeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one manager's Redis is reachable: a circuit breaker. The first call that finds it
 * unreachable marks it down (one warning per outage); from then on calls fail fast, or in
 * {@link FailureMode#DEGRADE} act on an empty cache, while a probe pings the masters every
 * {@link #PROBE_MILLIS} ms. Writes skipped while degraded are recorded ({@link SkippedWrites}) and
 * undone in Redis before the manager uses it again, so no instance is served a value that one of
 * them meant to replace: not from Redis, nor from its near cache, nor as an EXPIRED event.
 *
 * <p>Recording a skip and leaving the down state happen under one lock: a write either is recorded
 * while Redis is still down, or finds it up and goes to Redis itself. Recovery undoes a snapshot of
 * the records, and marks Redis up only once no record is left, so writes skipped while it was
 * deleting (which may take seconds for a cache to clear) are undone in a further round: by their
 * keys, even those of a cache the round was clearing, so that a cache written all along does not
 * keep the manager degraded by asking for one clear after another.
 */
public final class RedisHealth implements Closeable {

    static final int MAX_TRACKED_KEYS = 10_000;
    static final long PROBE_MILLIS = 500;
    private static final int CLEAR_BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

    private final RedissonClient redis;
    private final FailureMode mode;
    private final String managerName;
    private final AtomicLong skippedWrites = new AtomicLong();
    private final SkippedWrites skipped = new SkippedWrites(MAX_TRACKED_KEYS);
    private volatile boolean down;
    private volatile long downSince;
    private boolean overflowReported;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> probe;

    public RedisHealth(RedissonClient redis, FailureMode mode, String managerName, ScheduledExecutorService scheduler) {
        this.redis = redis;
        this.scheduler = scheduler;
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
        overflowReported = false;
        LOG.warn("Redis is unreachable for CacheManager {} ({}); caches {} until it is back", managerName,
                cause.getMessage(), mode == FailureMode.DEGRADE ? "act as empty and skip writes" : "fail fast");
        probe = scheduler.scheduleWithFixedDelay(this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Records writes of {@code encodedKeys} skipped because Redis is down, so they can be undone once
     * it is back; false (nothing recorded) when Redis is no longer down: the write must then go to
     * Redis.
     */
    synchronized boolean skip(KeyLayout layout, Collection<String> encodedKeys) {
        if (!down) {
            return false;
        }
        record(layout, encodedKeys);
        return true;
    }

    /** Records writes that may have reached Redis although their call failed (outcome unknown). */
    synchronized void recordUncertain(KeyLayout layout, Collection<String> encodedKeys) {
        record(layout, encodedKeys);
    }

    /** Like {@link #skip} for a clear of the whole cache: it is carried out once Redis is back. */
    synchronized boolean skipClear(KeyLayout layout) {
        if (!down) {
            return false;
        }
        skippedWrites.incrementAndGet();
        skipped.addClear(layout);
        return true;
    }

    private void record(KeyLayout layout, Collection<String> encodedKeys) {
        skippedWrites.addAndGet(encodedKeys.size());
        if (!skipped.add(layout, encodedKeys) && !overflowReported) {
            overflowReported = true;
            LOG.error("more than {} writes were skipped while Redis was unreachable for CacheManager {};"
                    + " the caches they belong to will be cleared when it is back", MAX_TRACKED_KEYS, managerName);
        }
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

    /** Undoes the recorded writes, round after round, and marks Redis up once none is left. */
    private void recover() {
        long keysDeleted = 0;
        int cachesCleared = 0;
        while (true) {
            SkippedWrites.Snapshot round;
            synchronized (this) {
                if (skipped.isEmpty()) {
                    markUp();
                    break;
                }
                round = skipped.startRound();
            }
            undo(round);
            synchronized (this) {
                skipped.forget(round);
            }
            keysDeleted += round.keys().size();
            cachesCleared += round.caches().size();
        }
        LOG.info("Redis is reachable again for CacheManager {} after {} ms; {} keys written meanwhile were"
                + " deleted and {} caches cleared", managerName, System.currentTimeMillis() - downSince, keysDeleted,
                cachesCleared);
    }

    /**
     * Deletes the entries of {@code round}, and clears its caches, as other writes would: with
     * what expiry tracking keeps beside them, and telling every instance's local tier.
     */
    private void undo(SkippedWrites.Snapshot round) {
        Map<KeyLayout, List<String>> byCache = new LinkedHashMap<>();
        round.keys().forEach((key, record) -> byCache.computeIfAbsent(record.layout(), layout -> new ArrayList<>())
                .add(record.layout().encodedKey(key)));
        byCache.forEach((layout, encodedKeys) -> EntryDeletions.delete(redis, layout, encodedKeys));
        round.caches().values().forEach(clear -> EntryDeletions.clear(redis, clear.layout(), CLEAR_BATCH, false, "-"));
    }

    private void markUp() {
        down = false;
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
        if (!skipped.isEmpty()) {
            SkippedWrites.Snapshot left = skipped.snapshot();
            LOG.error("CacheManager {} closed before Redis was back: {} keys written, and {} caches cleared, while it"
                    + " was unreachable were never undone, so other instances may be served the values those writes"
                    + " meant to replace until the entries change or expire", managerName, left.keys().size(),
                    left.caches().size());
        }
    }
}
