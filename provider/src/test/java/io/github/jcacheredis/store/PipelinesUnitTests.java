package io.github.jcacheredis.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.misc.CompletableFutureWrapper;

/**
 * A failed pipeline counts as not run, and may be sent again, only when none of its commands ran:
 * {@link RedisCalls} sends a write again after such a failure, which would run twice the commands
 * that did run.
 */
class PipelinesUnitTests {

    private static final RuntimeException READONLY = new RedisReadonlyException("READONLY You can't write against a read only replica.");

    /** A pipeline whose execution fails with {@code failure}, its commands having had their own outcomes. */
    private static RBatch failingWith(RuntimeException failure) {
        return (RBatch) Proxy.newProxyInstance(PipelinesUnitTests.class.getClassLoader(), new Class<?>[] {RBatch.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("execute")) {
                        throw failure;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static RFuture<Object> ran() {
        return new CompletableFutureWrapper<>((Object) "OK");
    }

    private static RFuture<Object> failed(Throwable failure) {
        return new CompletableFutureWrapper<>(failure);
    }

    @Test
    void aPipelineOfWhichNothingRanFailsAsNotRunSoThatItMayBeSentAgain() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Pipelines.execute(failingWith(READONLY)::execute,
                List.of(failed(READONLY), failed(READONLY)), false));

        assertEquals(Failures.NOT_RUN, Failures.of(failure));
        assertTrue(Failures.isTransient(failure));
    }

    @Test
    void aPipelineOfWhichSomeCommandsRanFailsAsRefusedAndIsNotSentAgain() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Pipelines.execute(failingWith(READONLY)::execute,
                List.of(ran(), failed(READONLY)), false));

        assertEquals(Failures.REFUSED, Failures.of(failure));
        assertFalse(Failures.isTransient(failure), "a transient failure is sent again while the layout settles");
        assertTrue(failure.getMessage().contains("1 of the 2 commands"), failure.getMessage());
    }

    @Test
    void aPipelineWithACommandThatMayHaveRunUnansweredFailsAsUnknown() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Pipelines.execute(failingWith(READONLY)::execute,
                List.of(failed(READONLY), failed(new RedisResponseTimeoutException("Redis server response timeout"))),
                false));

        assertEquals(Failures.UNKNOWN, Failures.of(failure));
    }

    @Test
    void scriptsUnknownToTheServerAreLeftToTheirCallersWhenTheyRepeatThemAlone() {
        RedisException noScript = new RedisNoScriptException("NOSCRIPT No matching script. Please use EVAL.");

        assertDoesNotThrow(() -> Pipelines.execute(failingWith(noScript)::execute, List.of(ran(), failed(noScript)), true));
        assertThrows(RedisException.class, () -> Pipelines.execute(failingWith(noScript)::execute,
                List.of(ran(), failed(noScript), failed(READONLY)), true));
    }

    @Test
    void aResponseTimeoutNamingAKeyThatContainsTheWordIsNoUnknownScript() {
        assertFalse(ScriptRunner.isNoScript(new RedisResponseTimeoutException(
                "Redis server response timeout (300 ms) occured after 0 retry attempts, command: (EVALSHA), params: [abc, 1, jcache:c:NOSCRIPT]")));
        assertTrue(ScriptRunner.isNoScript(new RedisException("wrapped", new RedisNoScriptException("NOSCRIPT No matching script."))));
    }

    /**
     * Redisson fails every command of a pipeline with the same exception when its connection
     * closed while the pipeline was being written (a large one takes several writes): the commands
     * Redis had received by then ran. Such a pipeline's outcome is unknown, and it is not sent again.
     */
    @Test
    void aPipelineCutOffWhileBeingWrittenHasAnUnknownOutcome() {
        RuntimeException cut = new WriteRedisConnectionException("Unable to write command into connection!");
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Pipelines.execute(failingWith(cut)::execute,
                List.of(failed(cut), failed(cut)), false));

        assertEquals(Failures.UNKNOWN, Failures.of(failure));
    }
}
