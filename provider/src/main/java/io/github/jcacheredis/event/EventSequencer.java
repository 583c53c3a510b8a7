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
 * A write made by a listener running on that executor does not wait for its own events, which
 * come after the current one.
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

    /** A write whose thread waits for its events: how many came back, and whether its thread delivered them. */
    private static final class Pending {
        int seen;
        boolean deliveredByWriter;
        CacheEntryListenerException failure;
    }

    EventSequencer(EventDispatcher<K, V> dispatcher, long echoWaitMillis) {
        this.dispatcher = dispatcher;
        this.echoWaitMillis = echoWaitMillis;
    }

    @Override
    public long open() {
        long number = numbers.incrementAndGet();
        if (dispatcher.hasSynchronousListeners()) {
            if (awaited.size() > MAX_PENDING) {
                awaited.values().removeIf(pending -> pending.deliveredByWriter);
            }
            awaited.put(number, new Pending());
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
        if (pending == null || delivering.get()) {
            return; // no synchronous listener (asynchronous ones get the events from the channel), or nested
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
}
