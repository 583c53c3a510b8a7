package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.client.RedisException;
import org.redisson.misc.CompletableFutureWrapper;

/**
 * A batch's script call ({@link ScriptRunner#runAsync}) that a server answers NOSCRIPT did not
 * run: across a failover its load can reach the old master while the call goes to the new one, so
 * it loads and calls again as a single call does, a bounded number of times.
 */
class ScriptRunnerUnitTests {

    /** Answers NOSCRIPT to the first {@code unknownFor} calls, "done" after; counts calls and loads. */
    private static final class Server {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger loads = new AtomicInteger();
        private final int unknownFor;

        Server(int unknownFor) {
            this.unknownFor = unknownFor;
        }

        RScriptAsync scripts() {
            return (RScriptAsync) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RScriptAsync.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "evalShaAsync" -> calls.incrementAndGet() <= unknownFor
                                ? new CompletableFutureWrapper<>(new RedisException(
                                        "NOSCRIPT No matching script. Please use EVAL."))
                                : new CompletableFutureWrapper<>("done");
                        case "scriptLoadAsync" -> {
                            loads.incrementAndGet();
                            yield new CompletableFutureWrapper<>("sha");
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        CompletableFuture<Object> run() {
            return ScriptRunner.runAsync(scripts(), Scripts.MANY, List.of("k"), new Object[0], RScript.ReturnType.LIST);
        }
    }

    @Test
    void aCallStillUnknownAfterItsFirstLoadIsLoadedAndSentAgain() throws Exception {
        Server server = new Server(3);

        assertEquals("done", server.run().get(10, TimeUnit.SECONDS));
        assertEquals(4, server.calls.get());
        assertEquals(3, server.loads.get());
    }

    @Test
    void aScriptThatStaysUnknownFailsItsCallAfterTheLastLoad() {
        Server server = new Server(Integer.MAX_VALUE);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> server.run().get(ScriptRunner.LOADS * ScriptRunner.LOAD_PAUSE_MILLIS + 5_000, TimeUnit.MILLISECONDS));
        assertTrue(failure.getCause().getMessage().contains("NOSCRIPT"), failure.getCause().getMessage());
        assertEquals(ScriptRunner.LOADS + 1, server.calls.get());
        assertEquals(ScriptRunner.LOADS, server.loads.get());
    }
}
