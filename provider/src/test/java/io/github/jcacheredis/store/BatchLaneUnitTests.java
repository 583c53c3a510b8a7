package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.redisson.RedissonShutdownException;
import org.redisson.client.RedisTimeoutException;

/** The batching rules of one node's lane, with a sender the test completes by hand. */
class BatchLaneUnitTests {

    /** Batches as the lane hands them over, each with the future that completes it. */
    private final List<List<BatchLane.Call<?>>> sent = new ArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();

    private CompletableFuture<?> send(List<BatchLane.Call<?>> batch) {
        sent.add(batch);
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight.add(done);
        return done;
    }

    private BatchLane lane(int max, int room) {
        return new BatchLane(this::send, max, room, 50);
    }

    private static BatchLane.Call<byte[]> get(String key) {
        return new BatchLane.Call<>(Command.get(key));
    }

    /** Completes every call of batch {@code i} with its key's bytes, then the batch. */
    @SuppressWarnings("unchecked")
    private void answer(int i) {
        for (BatchLane.Call<?> call : sent.get(i)) {
            ((BatchLane.Call<byte[]>) call).complete(call.command().key().getBytes());
        }
        inFlight.get(i).complete(null);
    }

    @Test
    void aLoneCallIsSentAtOnceAsABatchOfOne() {
        BatchLane lane = lane(8, 64);
        BatchLane.Call<byte[]> call = get("a");
        lane.add(call);
        assertEquals(List.of(List.of(call)), sent, "no timer: the call goes out before add returns");
        answer(0);
        assertEquals("a", new String(call.reply().join()));
    }

    @Test
    void callsThatComeWhileABatchIsOnItsWayGoTogetherNextInTheirOrder() {
        BatchLane lane = lane(8, 64);
        BatchLane.Call<byte[]> first = get("first");
        lane.add(first);
        List<BatchLane.Call<byte[]>> later = List.of(get("b"), get("c"), get("d"));
        later.forEach(lane::add);
        assertEquals(1, sent.size(), "nothing more goes out while a batch is on its way");
        answer(0);
        assertEquals(2, sent.size());
        assertEquals(later, sent.get(1));
        answer(1);
        for (BatchLane.Call<byte[]> call : later) {
            assertEquals(call.command().key(), new String(call.reply().join()));
        }
        BatchLane.Call<byte[]> afterwards = get("e");
        lane.add(afterwards);
        assertEquals(List.of(afterwards), sent.get(2), "an idle lane sends at once again");
    }

    @Test
    void noBatchCarriesMoreThanMax() {
        BatchLane lane = lane(2, 64);
        lane.add(get("k0"));
        for (int i = 1; i <= 5; i++) {
            lane.add(get("k" + i));
        }
        answer(0);
        answer(1);
        answer(2);
        List<Integer> sizes = sent.stream().map(List::size).toList();
        assertEquals(List.of(1, 2, 2, 1), sizes);
        assertEquals(List.of("k1", "k2"), sent.get(1).stream().map(c -> c.command().key()).toList());
    }

    @Test
    void aFailedCallFailsOnlyItsOwnCaller() {
        BatchLane lane = lane(8, 64);
        lane.add(get("first"));
        BatchLane.Call<byte[]> bad = get("bad");
        BatchLane.Call<byte[]> good = get("good");
        lane.add(bad);
        lane.add(good);
        answer(0);
        bad.fail(new IllegalStateException("WRONGTYPE"));
        good.complete("fine".getBytes());
        inFlight.get(1).completeExceptionally(new IllegalStateException("the batch reports its first error"));
        assertEquals("fine", new String(good.reply().join()));
        CompletionException failure = assertThrows(CompletionException.class, () -> bad.reply().join());
        assertEquals("WRONGTYPE", failure.getCause().getMessage());
    }

    @Test
    void aBatchThatFailsBeforeItsCallsHaveRepliesFailsThemAndTheLaneGoesOn() {
        List<List<BatchLane.Call<?>>> batches = new ArrayList<>();
        BatchLane lane = new BatchLane(batch -> {
            batches.add(batch);
            throw new IllegalStateException("client shut down");
        }, 8, 64, 50);
        BatchLane.Call<byte[]> call = get("a");
        lane.add(call);
        CompletionException failure = assertThrows(CompletionException.class, () -> call.reply().join());
        assertEquals("client shut down", failure.getCause().getMessage());
        BatchLane.Call<byte[]> next = get("b");
        lane.add(next);
        assertEquals(2, batches.size(), "the lane is idle again, not stuck as if a batch were on its way");
        assertTrue(next.reply().isCompletedExceptionally());
    }

    /**
     * An Error while a batch is sent (out of memory building it, say) fails that batch's calls and
     * leaves the lane working, also when it is thrown where the previous batch's completion sends
     * the next: a lane left "sending" would hold every later call for its node for ever.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anErrorWhileSendingFailsItsBatchAndTheLaneGoesOn() {
        List<List<BatchLane.Call<?>>> batches = new ArrayList<>();
        CompletableFuture<Void> firstOnItsWay = new CompletableFuture<>();
        BatchLane lane = new BatchLane(batch -> {
            batches.add(batch);
            if (batches.size() == 1) {
                return firstOnItsWay;
            }
            if (batches.size() <= 3) {
                throw new OutOfMemoryError("no room to build batch " + batches.size());
            }
            batch.forEach(call -> ((BatchLane.Call<byte[]>) call).complete(new byte[0]));
            return CompletableFuture.completedFuture(null);
        }, 8, 64, 50);
        BatchLane.Call<byte[]> first = get("a");
        lane.add(first);
        BatchLane.Call<byte[]> queued = get("b");
        lane.add(queued);
        first.complete(new byte[0]);
        firstOnItsWay.complete(null); // its completion sends the next batch, which throws
        CompletionException failure = assertThrows(CompletionException.class,
                () -> queued.reply().orTimeout(5, TimeUnit.SECONDS).join());
        assertTrue(failure.getCause() instanceof OutOfMemoryError, failure.toString());

        BatchLane.Call<byte[]> alone = get("c");
        lane.add(alone); // sent on the caller's thread, throws again
        assertTrue(alone.reply().isCompletedExceptionally(), "the batch that threw fails its call");
        BatchLane.Call<byte[]> after = get("d");
        lane.add(after);
        assertEquals(4, batches.size(), "the lane is idle again, not stuck as if a batch were on its way");
        assertEquals(0, after.reply().orTimeout(5, TimeUnit.SECONDS).join().length);
    }

    @Test
    void aCallBeyondTheRoomWaitsAndFailsUnsentWhenNoneFreesUp() {
        BatchLane lane = lane(8, 3);
        lane.add(get("a"));
        lane.add(get("b"));
        lane.add(get("c"));
        BatchLane.Call<byte[]> beyond = get("d");
        RedisTimeoutException refused = assertThrows(RedisTimeoutException.class, () -> lane.add(beyond));
        assertTrue(refused.getMessage().contains("was not sent"), refused.getMessage());
        assertFalse(beyond.reply().isDone());
        answer(0);
        BatchLane.Call<byte[]> roomAgain = get("e");
        lane.add(roomAgain);
        answer(1);
        answer(2);
        assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("e")),
                sent.stream().map(batch -> batch.stream().map(c -> c.command().key()).toList()).toList(),
                "the refused call never reached a batch; the one after it found room");
        assertEquals("e", new String(roomAgain.reply().join()));
    }

    @Test
    void aCallWaitingForRoomGoesAsSoonAsACallFreesSome() throws Exception {
        BatchLane lane = new BatchLane(this::send, 8, 3, 60_000);
        lane.add(get("a"));
        lane.add(get("b"));
        lane.add(get("c"));
        BatchLane.Call<byte[]> waiting = get("d");
        CompletableFuture<Void> added = new CompletableFuture<>();
        Thread adder = new Thread(() -> {
            try {
                lane.add(waiting);
                added.complete(null);
            } catch (RuntimeException e) {
                added.completeExceptionally(e);
            }
        });
        adder.start();
        while (adder.getState() != Thread.State.TIMED_WAITING && !added.isDone()) {
            Thread.onSpinWait();
        }
        assertFalse(added.isDone(), "no room: the call waits for some");
        answer(0); // frees a's room
        added.get(10, TimeUnit.SECONDS);
        for (int i = 1; i < sent.size(); i++) {
            answer(i); // d went with b and c, or after them
        }
        assertEquals(List.of("a", "b", "c", "d"),
                sent.stream().flatMap(batch -> batch.stream().map(c -> c.command().key())).toList());
        assertEquals("d", new String(waiting.reply().join()));
    }

    @Test
    void aCallerThatStopsYieldingParksAndStillGetsItsReply() throws Exception {
        BatchLane.Call<byte[]> call = get("late");
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                got.complete(call.await());
            } catch (RuntimeException e) {
                got.completeExceptionally(e);
            }
        });
        caller.setDaemon(true);
        caller.start();
        Await.until("the caller yields a bounded number of times, then parks", Duration.ofSeconds(10),
                () -> caller.getState() == Thread.State.WAITING, () -> "the caller is " + caller.getState());
        assertFalse(got.isDone());
        call.complete("late".getBytes());
        assertEquals("late", new String(got.get(10, TimeUnit.SECONDS)), "completing the reply wakes the parked caller");
    }

    @Test
    void awaitReturnsAReplyThatCameFirstAndThrowsAFailureAsTheCallersOwn() {
        BatchLane.Call<byte[]> answered = get("a");
        answered.complete("a".getBytes());
        assertEquals("a", new String(answered.await()));
        BatchLane.Call<byte[]> failed = get("b");
        RedisTimeoutException cause = new RedisTimeoutException("no reply");
        failed.fail(cause);
        CompletionException thrown = assertThrows(CompletionException.class, failed::await);
        assertEquals(cause, thrown.getCause());
    }

    /**
     * A client that has shut down answers only its last 100 calls on their way: the calls a lane
     * holds, waiting or on their way, are failed when the manager closes, so no caller waits for ever.
     */
    @Test
    void abandoningALaneFailsTheCallsOnTheirWayAndWaiting() {
        CompletableFuture<?> never = new CompletableFuture<>();
        BatchLane lane = new BatchLane(batch -> never, 1, 8, 1000);
        BatchLane.Call<byte[]> onItsWay = get("a");
        BatchLane.Call<byte[]> waiting = get("b");
        lane.add(onItsWay);
        lane.add(waiting);
        RedissonShutdownException closed = new RedissonShutdownException("closed");
        lane.abandon(closed);
        for (BatchLane.Call<byte[]> call : List.of(onItsWay, waiting)) {
            CompletionException thrown = assertThrows(CompletionException.class, call::await);
            assertEquals(closed, thrown.getCause());
        }
        // a call that comes afterwards (a retry, a repeat after a script load, a caller woken by
        // the room the abandoned calls freed) would queue behind the batch that never completes
        BatchLane.Call<byte[]> afterwards = get("c");
        lane.add(afterwards);
        CompletionException thrown = assertThrows(CompletionException.class,
                () -> afterwards.reply().orTimeout(5, TimeUnit.SECONDS).join());
        assertEquals(closed, thrown.getCause());
    }

    @Test
    void aReadThatRedisDidNotRefuseMayBeSentAgain() {
        assertTrue(BatchLane.mayResend(new CompletionException(new org.redisson.client.RedisConnectionException("refused"))));
        assertTrue(BatchLane.mayResend(new CompletionException(
                new org.redisson.client.RedisResponseTimeoutException("no reply in 1000 ms"))),
                "how Redisson reports a connection lost with the batch on its way");
        assertFalse(BatchLane.mayResend(new CompletionException(new org.redisson.client.RedisOutOfMemoryException("OOM"))));
    }
}
