package io.github.jcacheredis.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.redisson.RedissonShutdownException;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;

/**
 * Waits for a reply of the client, as {@link CompletableFuture#join()} does, but gives up once the
 * client has shut down: Redisson then fails only the last 100 calls on their way, and a caller of
 * any other would wait for ever (seen closing a manager with 200 calls waiting on a stalled Redis).
 */
final class Replies {

    /** How often a caller whose reply has not come looks whether the client has shut down. */
    private static final long CHECK_MILLIS = 1_000;

    private Replies() {
    }

    /** True once {@code redis} is shutting down or has shut down. */
    static boolean shutDown(RedissonClient redis) {
        return redis.isShuttingDown() || redis.isShutdown();
    }

    /**
     * As a synchronous call of the client: the reply, or its failure as the client reports it (a
     * RedissonShutdownException once {@code redis} has shut down).
     */
    static <T> T get(CompletionStage<T> reply, RedissonClient redis) {
        try {
            return await(reply.toCompletableFuture(), () -> shutDown(redis));
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Executes a pipeline of {@code redis} as {@link #get} waits. */
    static void execute(RBatch batch, RedissonClient redis) {
        get(batch.executeAsync(), redis);
    }

    /** The reply, or its failure as a CompletionException; a RedissonShutdownException once {@code shutDown} holds. */
    static <T> T await(CompletableFuture<T> reply, BooleanSupplier shutDown) {
        if (reply.isDone()) {
            return reply.join();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return reply.get(CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillOnItsWay) {
                    if (shutDown.getAsBoolean()) {
                        throw new CompletionException(new RedissonShutdownException(
                                "the Redis client shut down while the call waited for its reply"));
                    }
                } catch (ExecutionException e) {
                    throw new CompletionException(e.getCause());
                } catch (InterruptedException e) {
                    interrupted = true; // as join(): the wait goes on, and the interrupt is kept
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
