package io.github.jcacheredis.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.redisson.client.RedisResponseTimeoutException;
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
    private final int roomSize;
    private final Semaphore room;
    private final long roomWaitMillis;
    private final ArrayDeque<Call<?>> waiting = new ArrayDeque<>();
    private boolean sending;

    /**
     * @param sender         sends a batch; its result completes once all of its calls have a reply
     * @param max            the most calls in one batch
     * @param room           the most calls waiting or on their way
     * @param roomWaitMillis how long a call waits for room
     */
    BatchLane(Function<List<Call<?>>, CompletableFuture<?>> sender, int max, int room, long roomWaitMillis) {
        this.sender = sender;
        this.max = max;
        this.roomSize = room;
        this.room = new Semaphore(room);
        this.roomWaitMillis = roomWaitMillis;
    }

    /**
     * Queues a call, sending it at once if the lane is idle; its reply completes later. Throws a
     * RedisTimeoutException, with nothing sent, when no room frees up in time.
     */
    void add(Call<?> call) {
        takeRoom(call);
        call.reply.whenComplete((value, failure) -> room.release());
        boolean idle;
        synchronized (this) {
            waiting.add(call);
            idle = !sending;
            sending = true;
        }
        if (idle) {
            sendWhileReady();
        }
    }

    private void takeRoom(Call<?> call) {
        boolean got;
        try {
            got = room.tryAcquire(roomWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw new RedisTimeoutException(roomSize + " calls for this Redis node are waiting or on their way already;"
                    + " the call for " + call.command.key() + " was not sent");
        }
    }

    /**
     * Sends the next batch; when it completes at once (a failure before anything was sent), the
     * one after, and so on, without growing the stack.
     */
    private void sendWhileReady() {
        while (true) {
            List<Call<?>> batch = next();
            if (batch == null) {
                return;
            }
            CompletableFuture<?> sent;
            try {
                sent = sender.apply(batch);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            if (!sent.isDone()) {
                sent.whenComplete((ignored, failure) -> {
                    settle(batch, failure);
                    sendWhileReady();
                });
                return;
            }
            settle(batch, sent.isCompletedExceptionally() ? failureOf(sent) : null);
        }
    }

    private synchronized List<Call<?>> next() {
        if (waiting.isEmpty()) {
            sending = false;
            return null;
        }
        List<Call<?>> batch = new ArrayList<>(Math.min(waiting.size(), max));
        while (batch.size() < max && !waiting.isEmpty()) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    /** A call the batch left without a reply (it failed before its commands were queued) fails with it. */
    private static void settle(List<Call<?>> batch, Throwable failure) {
        for (Call<?> call : batch) {
            if (!call.reply.isDone()) {
                call.reply.completeExceptionally(failure != null ? failure
                        : new IllegalStateException("the batch completed without a reply for " + call.command.key()));
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * True when a read that failed in a batch may be sent again alone: it failed for want of a
     * connection, not because Redis refused it or did not answer in time.
     */
    static boolean mayResend(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        return Failures.of(cause) != Failures.REFUSED && !(cause instanceof RedisResponseTimeoutException);
    }

    /** One caller's command and the future of its reply. */
    static final class Call<T> {
        private final Command<T> command;
        private final CompletableFuture<T> reply = new CompletableFuture<>();
        private volatile boolean batched;

        Call(Command<T> command) {
            this.command = command;
        }

        Command<T> command() {
            return command;
        }

        CompletableFuture<T> reply() {
            return reply;
        }

        /** Issues the command through {@code target}; returns this call's reply, which the command's completes. */
        CompletableFuture<T> issue(Command.Target target) {
            command.issue(target).whenComplete((value, failure) -> {
                if (failure != null) {
                    reply.completeExceptionally(failure);
                } else {
                    reply.complete(value);
                }
            });
            return reply;
        }

        void markBatched() {
            batched = true;
        }

        boolean wasBatched() {
            return batched;
        }
    }
}
