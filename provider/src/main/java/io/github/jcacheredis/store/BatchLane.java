package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.redisson.client.RedisTimeoutException;

/**
 * The calls for one Redis node: at most one batch of them is on its way at a time. A call that
 * finds the lane idle goes at once; the others wait, and when the batch on its way completes,
 * up to {@code max} of them go as the next, in the order they came. At most {@code room} calls
 * wait or travel at once: a call beyond them waits for room, and fails unsent if none frees up.
 */
final class BatchLane {

    private final Function<List<Call<?>>, CompletableFuture<?>> sender;
    private final int max;
    private final Room room;
    private final Queue<Call<?>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    /** The calls of the batch on its way, for {@link #abandon}. */
    private volatile List<Call<?>> onItsWay = List.of();
    /** Why the lane was abandoned, or null: later calls fail with it at once. */
    private volatile Throwable abandoned;

    /**
     * @param sender         sends a batch; its result completes once all of its calls have a reply
     * @param max            the most calls in one batch
     * @param room           the most calls waiting or on their way
     * @param roomWaitMillis how long a call waits for room
     */
    BatchLane(Function<List<Call<?>>, CompletableFuture<?>> sender, int max, int room, long roomWaitMillis) {
        this.sender = sender;
        this.max = max;
        this.room = new Room(room, roomWaitMillis);
    }

    /**
     * Queues a call, sending it at once if the lane is idle; its reply completes later. Throws a
     * RedisTimeoutException, with nothing sent, when no room frees up in time.
     */
    void add(Call<?> call) {
        if (!room.take()) {
            throw new NoRoom(room.size + " calls for this Redis node are waiting or on their way already;"
                    + " the call for " + call.command.key() + " was not sent");
        }
        call.room = room;
        waiting.offer(call);
        Throwable closed = abandoned;
        if (closed != null) {
            failWaiting(closed); // the batch on its way may never complete: nothing would send it
            return;
        }
        if (sending.compareAndSet(false, true)) {
            sendWhileReady();
        }
    }

    /**
     * Sends the next batch, and when the sender is done with it (it completed at once, or failed
     * before anything was sent) the one after, and so on, without growing the stack. The sender
     * completes the replies of the calls it took; the lane only fails those of a batch whose
     * sending threw, whatever it threw.
     */
    private void sendWhileReady() {
        while (true) {
            List<Call<?>> batch = next();
            if (batch == null) {
                return;
            }
            CompletableFuture<?> sent;
            onItsWay = batch;
            if (batch.size() == 1) {
                batch.get(0).alone = true;
            }
            try {
                sent = sender.apply(batch);
            } catch (RuntimeException | Error e) {
                // an Error too (out of memory building the batch): its calls fail, and the lane
                // goes on; one left "sending" would hold every later call for its node for ever
                for (Call<?> call : batch) {
                    call.fail(e);
                }
                continue;
            }
            if (!sent.isDone()) {
                sent.whenComplete((ignored, failure) -> sendWhileReady());
                return;
            }
        }
    }

    /**
     * Up to {@code max} waiting calls in their order, or null when none waits and the lane is idle
     * again (a call queued meanwhile finds it idle and sends, or is taken here).
     */
    private List<Call<?>> next() {
        while (true) {
            List<Call<?>> batch = null;
            Call<?> call;
            while ((batch == null || batch.size() < max) && (call = waiting.poll()) != null) {
                if (batch == null) {
                    batch = new ArrayList<>(Math.min(max, 64));
                }
                batch.add(call);
            }
            if (batch != null) {
                return batch;
            }
            sending.set(false);
            if (waiting.isEmpty() || !sending.compareAndSet(false, true)) {
                return null;
            }
        }
    }

    /**
     * Fails every call waiting in the lane or on its way with {@code failure}, and every call added
     * later: the client has shut down, and then answers only its last 100 calls on their way; the
     * others' callers would wait for ever (seen closing a manager with 200 calls waiting on a
     * stalled Redis), as would a later call queued behind a batch that never completes.
     */
    void abandon(Throwable failure) {
        abandoned = failure;
        for (Call<?> call : onItsWay) {
            call.fail(failure);
        }
        failWaiting(failure);
    }

    private void failWaiting(Throwable failure) {
        Call<?> call;
        while ((call = waiting.poll()) != null) {
            call.fail(failure);
        }
    }

    /**
     * True when a read that failed in a batch sent without retries may be sent again alone: Redis
     * did not refuse it. It may have found no connection, or no reply came: Redisson reports a
     * connection lost with the batch on its way as a response timeout.
     */
    static boolean mayResend(Throwable failure) {
        return Failures.of(Failures.unwrap(failure)) != Failures.REFUSED;
    }

    /** One caller's command and the future of its reply. */
    static final class Call<T> {
        /** How often a caller yields, waiting for its reply, before it parks. */
        static final int YIELDS_BEFORE_PARKING = 20;

        private final Command<T> command;
        private final CompletableFuture<T> reply = new CompletableFuture<>();
        private CompletableFuture<T> sent;
        private Room room;
        private volatile boolean sentOnce;
        /**
         * Set before sending when the call went in a batch of its own. Read by the caller without a
         * barrier: it sees it when it sent the batch itself (found the lane idle), which is what
         * matters; a caller that misses it only yields as it would have anyway.
         */
        private boolean alone;

        Call(Command<T> command) {
            this.command = command;
        }

        Command<T> command() {
            return command;
        }

        CompletableFuture<T> reply() {
            return reply;
        }

        /**
         * Waits for the reply and returns it (or throws its failure as a CompletionException).
         * While it is on its way the caller gives its processor to other runnable threads up to
         * {@link #YIELDS_BEFORE_PARKING} times, and only then parks: a caller still runnable when
         * its reply comes needs no wake-up, and a processor that always has a runnable thread is
         * not left idle, which on a busy client makes each wake-up dearer (docs/decisions.md).
         * With nothing else to run each yield returns at once, so an idle client spends at most
         * that many system calls per call on it; a slow reply is waited for parked (a call the
         * client may never answer, once it has shut down, is failed by {@link #abandon}). A call
         * that went in a batch of its own parks at once, as one sent without batching does: no
         * other caller of its lane is there to use the processor, and on a machine whose other
         * processes are busy each yield may hand them the processor for a whole time slice.
         */
        T await() {
            if (!alone) {
                for (int i = 0; i < YIELDS_BEFORE_PARKING && !reply.isDone(); i++) {
                    Thread.yield();
                }
            }
            return reply.join();
        }

        /** Issues the command through {@code target}; returns the client's future of its reply. */
        CompletableFuture<T> issue(Command.Target target) {
            sent = command.issue(target).toCompletableFuture();
            return sent;
        }

        /** True when the client has completed the command's own reply. */
        boolean isAnswered() {
            return sent != null && sent.isDone();
        }

        /** The failure the client completed the command's own reply with, or null. */
        Throwable failure() {
            CompletableFuture<T> reply = sent;
            if (reply == null || !reply.isCompletedExceptionally()) {
                return null;
            }
            try {
                reply.join();
                return null;
            } catch (CompletionException | CancellationException e) {
                return unwrapped(e);
            }
        }

        /** Completes this call's reply as the command's, once that has completed. */
        void settle() {
            try {
                complete(sent.join());
            } catch (CompletionException | CancellationException e) {
                fail(unwrapped(e));
            }
        }

        /** Fails this call's reply as {@code failed}, which completed exceptionally. */
        void failAs(CompletableFuture<?> failed) {
            try {
                failed.join();
                fail(new IllegalStateException("no failure to report"));
            } catch (CompletionException | CancellationException e) {
                fail(unwrapped(e));
            }
        }

        private static Throwable unwrapped(RuntimeException e) {
            return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        }

        /** Gives the caller its reply and frees the call's room in its lane. */
        void complete(T value) {
            release();
            reply.complete(value);
        }

        void fail(Throwable failure) {
            release();
            reply.completeExceptionally(failure);
        }

        private void release() {
            Room held = room;
            if (held != null) {
                room = null;
                held.free();
            }
        }

        /** Notes that the call went in a batch that the client sends once, with no retry. */
        void markSentOnce() {
            sentOnce = true;
        }

        boolean wasSentOnce() {
            return sentOnce;
        }
    }

    /**
     * The calls a lane may hold: a count, taken and freed without a lock while there is room; a
     * call that finds none waits on the monitor until a call frees some, or its wait is over.
     */
    static final class Room {
        private final int size;
        private final long waitMillis;
        private final AtomicInteger taken = new AtomicInteger();
        private final AtomicInteger waiters = new AtomicInteger();

        Room(int size, long waitMillis) {
            this.size = size;
            this.waitMillis = waitMillis;
        }

        /** Takes room for one call, waiting for it up to the wait; false when none freed up. */
        boolean take() {
            if (tryTake()) {
                return true;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            synchronized (this) {
                waiters.incrementAndGet();
                try {
                    while (!tryTake()) {
                        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                        if (left <= 0) {
                            return false;
                        }
                        wait(left);
                    }
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    waiters.decrementAndGet();
                }
            }
        }

        private boolean tryTake() {
            while (true) {
                int now = taken.get();
                if (now >= size) {
                    return false;
                }
                if (taken.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        /** Frees one call's room, waking a call that waits for it. */
        void free() {
            taken.decrementAndGet();
            if (waiters.get() > 0) {
                synchronized (this) {
                    notify();
                }
            }
        }
    }

    /**
     * A call refused for want of room in its lane: it was never sent. Like a client whose
     * connection pool is exhausted, this is back-pressure, not a sign that Redis is unreachable.
     */
    static final class NoRoom extends RedisTimeoutException {
        private static final long serialVersionUID = 1L;

        NoRoom(String message) {
            super(message);
        }
    }
}
