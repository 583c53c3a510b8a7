package io.github.jcacheredis.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publication a cache's writes use, and the writes in flight under each one. A write decides
 * whether and what it publishes when it begins ({@link #begin}) and ends once Redis has answered
 * it or it failed; {@link #switchTo} installs the publication for writes that begin from then on
 * and tells when every write that began before has ended. An instance confirms another's
 * registration only then, so that no write it chose not to publish reaches Redis after the other
 * instance's registration has returned.
 */
final class PublishedWrites {

    private volatile Generation current = new Generation(Publication.NONE, null);
    private volatile CompletableFuture<Void> known = CompletableFuture.completedFuture(null);
    private volatile long holdMillis;

    Publication current() {
        return current.publication;
    }

    /**
     * Writes (and reads that set TTLs) that begin before {@code until} completes wait for it, at most
     * {@code millis} each: what they must publish, and whether they must keep due times, is not
     * known before.
     */
    void holdUntil(CompletableFuture<Void> until, long millis) {
        holdMillis = millis;
        known = until;
    }

    /** Whether what writes must do is known (no {@link #holdUntil} pending). */
    boolean isKnown() {
        return known.isDone();
    }

    /** Waits, at most as long as {@link #holdUntil} said, until what writes must do is known. */
    void awaitKnown() {
        awaitQuietly(known, holdMillis);
    }

    /** A write under the current publication; close it when the write has ended. */
    Write begin() {
        while (true) {
            Generation generation = current;
            if (generation.enter()) {
                return new Write(generation);
            }
            // a switch retired it between the read and the entry: the next one is current already
        }
    }

    /**
     * Makes writes that begin from now on use {@code next}; the result completes once every write
     * that began before has ended.
     */
    synchronized CompletableFuture<Void> switchTo(Publication next) {
        Generation retired = current;
        current = new Generation(next, retired);
        return retired.retire();
    }

    /** Waits for {@code pending} up to {@code millis}; the caller goes on under the current publication either way. */
    private static void awaitQuietly(CompletableFuture<Void> pending, long millis) {
        try {
            pending.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException late) {
            // the registry is late: the write publishes everything, as an instance in doubt does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A write in flight, and the publication it uses. */
    final class Write implements AutoCloseable {
        private final Generation generation;
        private boolean ended;

        private Write(Generation generation) {
            this.generation = generation;
        }

        Publication publication() {
            return generation.publication;
        }

        @Override
        public void close() {
            if (!ended) {
                ended = true;
                generation.exit();
            }
        }
    }

    /**
     * The writes that began under one publication: counted while it is current, then drained. A
     * generation counts as drained once its own writes ended and so did the previous one's, since
     * a write of an older generation is older still.
     */
    private static final class Generation {
        private static final long RETIRED = 1L << 62;

        final Publication publication;
        private final AtomicLong state = new AtomicLong();
        private final CompletableFuture<Void> ownWritesEnded = new CompletableFuture<>();
        private volatile CompletableFuture<Void> drained;
        private Generation previous;

        Generation(Publication publication, Generation previous) {
            this.publication = publication;
            this.previous = previous;
        }

        boolean enter() {
            while (true) {
                long s = state.get();
                if ((s & RETIRED) != 0) {
                    return false;
                }
                if (state.compareAndSet(s, s + 1)) {
                    return true;
                }
            }
        }

        void exit() {
            if (state.decrementAndGet() == RETIRED) {
                ownWritesEnded.complete(null);
            }
        }

        synchronized CompletableFuture<Void> retire() {
            if (drained != null) {
                return drained;
            }
            if (state.getAndAdd(RETIRED) == 0) {
                ownWritesEnded.complete(null);
            }
            Generation before = previous;
            previous = null; // nothing older needs to be kept once this one is retired
            drained = before == null ? ownWritesEnded
                    : ownWritesEnded.thenCombine(before.drained(), (a, b) -> null);
            return drained;
        }

        private synchronized CompletableFuture<Void> drained() {
            return drained == null ? CompletableFuture.completedFuture(null) : drained;
        }
    }
}
