package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.until;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;

/**
 * Calls of a test on a batching manager, each on a thread of its own; the outcome of each is its
 * value or the CacheException it threw. The test can wait until every call waits in its lane.
 */
final class LaneCallers {

    private final List<Thread> threads = new ArrayList<>();
    private final List<FutureTask<Object>> outcomes = new ArrayList<>();

    void start(Callable<Object> call) {
        FutureTask<Object> outcome = new FutureTask<>(() -> {
            try {
                return call.call();
            } catch (CacheException e) {
                return e;
            }
        });
        Thread thread = new Thread(outcome, "caller-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        outcomes.add(outcome);
        thread.start();
    }

    /** Returns once every call waits in its lane for its reply. */
    void awaitWaitingInLane() {
        until(() -> threads.stream().allMatch(LaneCallers::waitsInLane));
    }

    List<Object> outcomes() throws Exception {
        List<Object> values = new ArrayList<>();
        for (FutureTask<Object> outcome : outcomes) {
            values.add(outcome.get(30, TimeUnit.SECONDS));
        }
        return values;
    }

    /**
     * True while {@code thread} waits for the reply of a call that its lane holds, queued or on its
     * way (parked in the call's wait, not in the wait for room in the lane).
     */
    static boolean waitsInLane(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().endsWith("BatchLane$Call")
                        && frame.getMethodName().equals("await"));
    }
}
