package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Runs {@link LuaScript}s by SHA (EVALSHA), alone or in pipelines. When a server does not know a
 * script (first use, restart, failover) it is loaded there and the call repeated; in a
 * pipeline only the calls that failed for that reason are repeated, so nothing runs twice.
 * Other failures propagate as Redisson throws them; {@link RedisCalls} decides what they mean.
 */
final class ScriptRunner {

    /** How many times a call may load its script before a NOSCRIPT fails it. */
    static final int LOADS = 8;
    static final long LOAD_PAUSE_MILLIS = 250;

    private final RScript scripts;
    private final NaturalBatches batches;

    /** Sends each call alone. */
    ScriptRunner(RedissonClient redis) {
        this(redis, NaturalBatches.off(redis));
    }

    /** Sends single calls through {@code batches}. */
    ScriptRunner(RedissonClient redis, NaturalBatches batches) {
        this.scripts = redis.getScript(ByteArrayCodec.INSTANCE);
        this.batches = batches;
    }

    /** Runs a script that only reads, or whose second run would change nothing: Redisson may resend it. */
    List<Object> run(LuaScript script, List<Object> keys, Object[] args) {
        return run(script, keys, args, false);
    }

    /** Runs a script that writes: Redisson never resends it (see {@link RedisCalls}). */
    List<Object> runOnce(LuaScript script, List<Object> keys, Object[] args) {
        return run(script, keys, args, true);
    }

    /**
     * Runs the call; while the server answers that it does not know the script (so nothing ran),
     * loads it on the key's node and runs the call again. Across a failover the load can reach the
     * old master while the call is redirected to the new one, so it is loaded again, after a pause,
     * until the client has caught up: at most {@link #LOADS} times, {@link #LOAD_PAUSE_MILLIS} apart.
     */
    private List<Object> run(LuaScript script, List<Object> keys, Object[] args, boolean write) {
        for (int loads = 0; ; loads++) {
            try {
                return batches.call(Command.script(script, keys, args, write));
            } catch (RuntimeException e) {
                if (!isNoScript(e) || loads == LOADS) {
                    throw e;
                }
            }
            if (loads > 0) {
                RedisCalls.pause(LOAD_PAUSE_MILLIS);
            }
            scripts.scriptLoadAsync((String) keys.get(0), script.source()).toCompletableFuture().join();
        }
    }

    /**
     * Runs {@code script} without blocking (for the client's event loop); a server that does not
     * know it (so it did not run) loads it and runs it then, as often and as far apart as
     * {@link #run} does, the pauses taken off the event loop. {@code scripts} decides whether the
     * client may resend it.
     */
    static CompletableFuture<Object> runAsync(RScriptAsync scripts, LuaScript script, List<Object> keys, Object[] args,
                                              RScript.ReturnType type) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        runAsync(scripts, script, keys, args, type, 0, result);
        return result;
    }

    private static void runAsync(RScriptAsync scripts, LuaScript script, List<Object> keys, Object[] args,
                                 RScript.ReturnType type, int loads, CompletableFuture<Object> result) {
        String key = (String) keys.get(0);
        scripts.evalShaAsync(key, RScript.Mode.READ_WRITE, script.sha(), type, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            if (!isNoScript(failure) || loads == LOADS) {
                result.completeExceptionally(failure);
                return;
            }
            Executor load = loads == 0 ? Runnable::run
                    : CompletableFuture.delayedExecutor(LOAD_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            load.execute(() -> scripts.scriptLoadAsync(key, script.source()).whenComplete((sha, error) -> {
                if (error == null) {
                    runAsync(scripts, script, keys, args, type, loads + 1, result);
                } else {
                    result.completeExceptionally(error);
                }
            }));
        });
    }

    /** A script call queued in a pipeline. */
    final class Queued {
        private final LuaScript script;
        private final List<Object> keys;
        private final Object[] args;
        private final RFuture<List<Object>> future;

        private Queued(RBatch batch, LuaScript script, List<Object> keys, Object[] args) {
            this.script = script;
            this.keys = keys;
            this.args = args;
            this.future = batch.getScript(ByteArrayCodec.INSTANCE).evalShaAsync((String) keys.get(0),
                    RScript.Mode.READ_WRITE, script.sha(), RScript.ReturnType.LIST, keys, args);
        }

        /** The reply, once the pipeline ran; repeated alone if the server did not know the script. */
        List<Object> reply() {
            try {
                return future.toCompletableFuture().join();
            } catch (CompletionException e) {
                if (isNoScript(e.getCause())) {
                    return runOnce(script, keys, args);
                }
                throw e;
            }
        }
    }

    Queued queue(RBatch batch, LuaScript script, List<Object> keys, Object[] args) {
        return new Queued(batch, script, keys, args);
    }

    /**
     * Runs a pipeline of queued calls with {@code send}; a script unknown to a server does not fail it (see
     * {@link Queued#reply()}), nor is it sent again when some of its calls ran ({@link Pipelines}).
     */
    static void execute(Runnable send, List<Queued> queued) {
        List<RFuture<List<Object>>> replies = new ArrayList<>(queued.size());
        queued.forEach(call -> replies.add(call.future));
        Pipelines.execute(send, replies, true);
    }

    /**
     * The replies of queued calls, in order; calls the server answered NOSCRIPT are repeated
     * alone, one after another. When a repeat fails once others of the pipeline have run, the
     * pipeline failed partway: it must not be sent again, which a failure showing that the repeat
     * did not run (BUSY, READONLY, no connection...) would have its caller do, running the others
     * twice. It fails as {@link Pipelines.PartlyApplied} then, or as it is when its outcome is
     * unknown.
     */
    static List<List<Object>> replies(List<Queued> queued) {
        List<List<Object>> replies = new ArrayList<>(queued.size());
        int ranInPipeline = 0;
        for (Queued call : queued) {
            if (!call.future.toCompletableFuture().isCompletedExceptionally()) {
                ranInPipeline++;
            }
        }
        int repeatsRan = 0;
        for (Queued call : queued) {
            boolean repeated = call.future.toCompletableFuture().isCompletedExceptionally();
            try {
                replies.add(call.reply());
            } catch (RuntimeException e) {
                Throwable cause = Failures.unwrap(e);
                int ran = ranInPipeline + repeatsRan;
                if (!repeated || ran == 0 || Failures.of(cause) == Failures.UNKNOWN) {
                    throw e;
                }
                throw new Pipelines.PartlyApplied(ran, queued.size(), cause);
            }
            if (repeated) {
                repeatsRan++;
            }
        }
        return replies;
    }

    /**
     * True when the server answered that it does not know the script (so it did not run): by the
     * client's exception for that reply, or a message that begins with the reply. Not any message
     * that mentions it: a response timeout names the command's keys, which may contain the word.
     */
    static boolean isNoScript(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisNoScriptException || t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }
}
