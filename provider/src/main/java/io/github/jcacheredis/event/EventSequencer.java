package io.github.jcacheredis.event;

import io.github.jcacheredis.store.EventMessage;
import io.github.jcacheredis.store.WriteTickets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.cache.event.CacheEntryListenerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events of this instance's own writes to its listeners in the order Redis applied
 * the writes, interleaved correctly with the events of other instances. While the cache has
 * listeners here, every write publishes its events under a number ({@link WriteTickets}) on the
 * cache's channel, and this instance delivers them when they come back on its subscription, on
 * the same serial executor as everybody else's: one stream, in Redis' order.
 *
 * <p>A write whose cache has synchronous listeners waits for its events to have been delivered
 * there (a listener's failure is rethrown to it). If they do not come back in time (the
 * subscription was lost), the writing thread delivers them itself, and later copies are ignored.
 * A write that does not wait (only asynchronous listeners, or a write made by a listener running
 * on that executor, whose events come after the current one) leaves its events here until they
 * have come back; those that have not within the same wait are delivered by the instance's
 * heartbeat ({@link #deliverOverdue}), and later copies ignored: pub/sub keeps nothing for a
 * subscription that is down, so they would be lost.
 */
final class EventSequencer<K, V> implements WriteTickets {

    private static final Logger LOG = LoggerFactory.getLogger(EventSequencer.class);
    /** How many writes whose own thread delivered their events may wait for a late copy to ignore. */
    private static final int MAX_PENDING = 10_000;

    private final EventDispatcher<K, V> dispatcher;
    private final long echoWaitMillis;
    private final AtomicLong numbers = new AtomicLong();
    private final Map<Long, Pending> awaited = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> delivering = ThreadLocal.withInitial(() -> false);
    private volatile boolean echoesLate;

    /**
     * A write whose events this instance awaits: how many came back, and whether they were
     * delivered here instead. One whose thread does not wait keeps its events, how many it
     * published and when they are overdue.
     */
    private final class Pending {
        final boolean waited;
        int seen;
        boolean deliveredByWriter;
        CacheEntryListenerException failure;
        int published = -1;
        List<EntryEvent<K, V>> events;
        long overdueAt;

        Pending(boolean waited) {
            this.waited = waited;
        }
    }

    EventSequencer(EventDispatcher<K, V> dispatcher, long echoWaitMillis) {
        this.dispatcher = dispatcher;
        this.echoWaitMillis = echoWaitMillis;
    }

    @Override
    public long open() {
        long number = numbers.incrementAndGet();
        if (dispatcher.hasListeners()) {
            if (awaited.size() > MAX_PENDING) {
                awaited.values().removeIf(pending -> pending.deliveredByWriter);
            }
            awaited.put(number, new Pending(dispatcher.hasSynchronousListeners()));
        }
        return number;
    }

    @Override
    public void unused(long writeId) {
        awaited.remove(writeId);
    }

    /**
     * Delivers one of this instance's own events as it came back, on the cache's serial executor:
     * decoded like any other (the writing thread's copy may not be ready yet), with a synchronous
     * listener's failure handed to the writing thread.
     */
    void echoed(EventMessage message, Function<EventMessage, EntryEvent<K, V>> decoder) {
        long writeId = message.writeId();
        Pending pending = awaited.get(writeId);
        if (pending != null) {
            synchronized (pending) {
                if (pending.deliveredByWriter) {
                    return; // its thread gave up waiting and delivered the events itself
                }
            }
        }
        echoesLate = false;
        CacheEntryListenerException failure = null;
        delivering.set(true);
        try {
            EntryEvent<K, V> event = decoder.apply(message);
            if (event != null) {
                dispatcher.dispatch(event);
            }
        } catch (CacheEntryListenerException e) {
            failure = e;
        } catch (RuntimeException e) {
            LOG.warn("cannot deliver an event of this instance's write {}", writeId, e);
        } finally {
            delivering.set(false);
        }
        if (pending == null) {
            if (failure != null) {
                LOG.warn("a cache entry listener failed on an event whose write had already returned", failure);
            }
            return;
        }
        synchronized (pending) {
            pending.seen++;
            if (pending.failure == null) {
                pending.failure = failure;
            }
            if (pending.published >= 0 && pending.seen >= pending.published) {
                awaited.remove(writeId); // nobody waits for it, and every event came back
            }
            pending.notifyAll();
        }
    }

    /**
     * Called by the writing thread once write {@code writeId} returned, with the number of events
     * it published and the events it computed: waits, when the cache has synchronous listeners,
     * until they were delivered from the channel, and rethrows a listener's failure; delivers them
     * itself when none came back in time.
     */
    void written(long writeId, int published, List<EntryEvent<K, V>> events) {
        Pending pending = awaited.get(writeId);
        if (pending == null) {
            return; // no listener when the write began
        }
        if (!pending.waited || delivering.get()) {
            // nobody waits: the events come back through the channel, or are delivered once overdue
            synchronized (pending) {
                if (pending.seen >= published) {
                    awaited.remove(writeId);
                } else {
                    pending.published = published;
                    pending.events = events;
                    pending.overdueAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(echoWaitMillis);
                }
            }
            return;
        }
        CacheEntryListenerException failure;
        synchronized (pending) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(echoesLate ? 0 : echoWaitMillis);
            while (pending.seen < published) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(pending, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (pending.seen == 0) {
                // none came back in time (subscription lost?): deliver here, and ignore them when they come
                pending.deliveredByWriter = true;
            }
            failure = pending.failure;
        }
        if (pending.deliveredByWriter) {
            echoesLate = true;
            LOG.debug("the events of write {} did not come back within {} ms; delivering them here", writeId,
                    echoWaitMillis);
            dispatcher.dispatch(events);
            return;
        }
        awaited.remove(writeId);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Delivers the events of writes nobody waited for that have not come back within the wait
     * (the subscription was lost while they were published); later copies are ignored. A write
     * of which only some events came back is forgotten: which ones is not known.
     */
    void deliverOverdue() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> entry : awaited.entrySet()) {
            Pending pending = entry.getValue();
            List<EntryEvent<K, V>> overdue = null;
            synchronized (pending) {
                if (pending.events == null || pending.deliveredByWriter || now - pending.overdueAt < 0) {
                    continue;
                }
                if (pending.seen == 0) {
                    pending.deliveredByWriter = true;
                    overdue = pending.events;
                } else {
                    awaited.remove(entry.getKey());
                }
                pending.events = null;
            }
            if (overdue != null) {
                LOG.debug("the events of write {} did not come back within {} ms; delivering them here", entry.getKey(),
                        echoWaitMillis);
                try {
                    dispatcher.dispatch(overdue);
                } catch (RuntimeException e) {
                    LOG.warn("a cache entry listener failed on an event whose write had already returned", e);
                }
            }
        }
    }
}
