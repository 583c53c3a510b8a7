package io.github.jcacheredis.store;

import static io.github.jcacheredis.store.StoreContext.ascii;
import static io.github.jcacheredis.store.StoreContext.utf8;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-entry write leases of one cache, for caches with a CacheWriter: a conditional write reads
 * the entry, decides, calls the writer and writes, and another instance doing the same in between
 * would make the writer and the cache disagree. The lease is a Redis key in the entry's slot
 * holding the holder's token ({@code lease.lua}), taken with the entry's value in one round trip,
 * renewed while held, and checked by the write itself ({@code mutate.lua}): a holder that paused
 * longer than the lease finds its write refused ({@link io.github.jcacheredis.storage.Outcome#FENCED}).
 * Caches without a writer never take one.
 */
final class WriteLeases {

    /** How long a lease lasts without renewal: an instance that dies blocks a key this long at most. */
    static final long LEASE_MILLIS = 5_000;
    static final long RENEW_MILLIS = LEASE_MILLIS / 3;
    /** How long a call waits for another instance's lease of the same entry. */
    static final long WAIT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(WriteLeases.class);

    private final StoreContext ctx;
    private final String cacheName;
    private final String owner = UUID.randomUUID().toString();
    private final AtomicLong counter = new AtomicLong();
    private final Set<RedisWriteLease> held = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Map<String, RedisWriteLease>> heldByThread = ThreadLocal.withInitial(HashMap::new);
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> renewal;

    WriteLeases(StoreContext ctx, String cacheName, ScheduledExecutorService scheduler) {
        this.ctx = ctx;
        this.scheduler = scheduler;
        this.cacheName = cacheName;
    }

    /**
     * Takes the lease of an entry, waiting while another instance holds it, and answers it with the
     * entry's value. A thread that already holds it gets a nested lease on the same token.
     */
    RedisWriteLease acquire(String encodedKey) {
        RedisWriteLease outer = heldByThread.get().get(encodedKey);
        if (outer != null && !outer.released()) {
            byte[] current = ctx.calls.read("GET", () -> ctx.bucket(encodedKey).get(), null);
            return new RedisWriteLease(encodedKey, outer.token(), current, true);
        }
        String token = owner + ":" + counter.incrementAndGet();
        List<Object> keys = List.of(ctx.layout.entryKey(encodedKey), ctx.layout.leaseKey(encodedKey));
        Object[] args = {utf8(token), ascii(LEASE_MILLIS)};
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        long backoff = 1;
        while (true) {
            List<Object> reply = ctx.calls.write("lease", List.of(), () -> ctx.scripts.runOnce(Scripts.LEASE, keys, args),
                    List.of());
            if (reply.isEmpty()) {
                // degraded: Redis is unreachable and the cache acts as empty; its write is skipped
                // (RedisEntryStore#mutate), also if Redis is back by then
                return new RedisWriteLease(encodedKey, "", null, true);
            }
            if (Long.valueOf(1).equals(reply.get(0))) {
                RedisWriteLease lease = new RedisWriteLease(encodedKey, token, reply.get(1) instanceof byte[] b ? b : null, false);
                hold(lease);
                return lease;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CacheException("Cache[" + cacheName + "]: another instance has held the write lease of key '"
                        + encodedKey + "' for more than " + WAIT_MILLIS + " ms (its CacheWriter is slow or it stopped);"
                        + " nothing was written");
            }
            long remaining = reply.get(1) instanceof Long pttl && pttl > 0 ? pttl : backoff;
            pause(Math.min(backoff, remaining));
            backoff = Math.min(backoff * 2, 20);
        }
    }

    /** Releases a lease whose holder did not write (a fenced write releases it itself). */
    void release(RedisWriteLease lease) {
        forget(lease);
        if (lease.nested()) {
            return;
        }
        try {
            keep(lease, 0);
        } catch (RuntimeException e) {
            LOG.debug("releasing the write lease of {} failed; it runs out within {} ms", lease.encodedKey(), LEASE_MILLIS, e);
        }
    }

    /** Forgets a lease the write script released (or refused). */
    void written(RedisWriteLease lease) {
        forget(lease);
    }

    private synchronized void hold(RedisWriteLease lease) {
        held.add(lease);
        heldByThread.get().put(lease.encodedKey(), lease);
        if (renewal == null) {
            renewal = scheduler.scheduleWithFixedDelay(this::renewAll, RENEW_MILLIS, RENEW_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void forget(RedisWriteLease lease) {
        if (lease.nested()) {
            return;
        }
        lease.markReleased();
        held.remove(lease);
        heldByThread.get().remove(lease.encodedKey(), lease);
    }

    private void renewAll() {
        for (RedisWriteLease lease : held) {
            try {
                if (!lease.released() && !keep(lease, LEASE_MILLIS)) {
                    held.remove(lease);
                    LOG.warn("Cache[{}] lost the write lease of key '{}' (this instance paused for longer than {} ms?);"
                            + " its write will be refused", cacheName, lease.encodedKey(), LEASE_MILLIS);
                }
            } catch (RuntimeException e) {
                LOG.debug("renewing the write lease of {} failed", lease.encodedKey(), e);
            }
        }
    }

    private boolean keep(RedisWriteLease lease, long millis) {
        return Scripts.succeeded(ctx.scripts.runOnce(Scripts.LEASE_KEEP, List.of(ctx.layout.leaseKey(lease.encodedKey())),
                new Object[] {utf8(lease.token()), ascii(millis)}));
    }

    synchronized void close() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for a write lease", e);
        }
    }
}
