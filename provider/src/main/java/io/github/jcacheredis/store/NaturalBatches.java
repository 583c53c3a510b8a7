package io.github.jcacheredis.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.redisson.Redisson;
import org.redisson.RedissonShutdownException;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.connection.ConnectionManager;
import org.redisson.connection.MasterSlaveEntry;

/**
 * Natural batching of a manager's single-key commands. Each Redis node has a {@link BatchLane}:
 * a call that finds its node's lane idle is sent at once, alone; calls that come while a batch is
 * on its way queue, and when it completes they go together as the next batch (at most
 * {@code max}): one MGET when all are plain GETs, one call of {@code many.lua} when all are simple
 * commands ({@link Command.Merge}), else a pipeline; on a cluster only keys of one slot share a
 * command. There is no timer, so an idle client pays no latency for it, and batches grow with the
 * load.
 *
 * <p>A batch that carries a write is never resent by the client (like every write here, see
 * {@link RedisCalls}): a command that Redis redirects (MOVED, ASK) did not run and the client
 * sends it on; one that failed fails only its own caller. A read of such a batch that Redis did
 * not refuse (no connection, or no reply: a lost connection shows as a response timeout) is sent
 * again alone, once, so it gets the attempts it would have had alone; a batch of reads only is
 * resent by the client itself. Callers wait on their own threads: replies complete
 * a future and nothing else runs on the client's event loop. At most {@code 8 × max} calls per
 * node wait or travel at once; a call beyond that waits for room up to the call timeout.
 */
public final class NaturalBatches {

    /** How many calls per node, per command a batch may carry, may wait or travel at once. */
    static final int ROOM_PER_BATCH_COMMAND = 8;

    private final RedissonClient redis;
    private final CommandAsyncExecutor executor;
    private final ConnectionManager nodes;
    private final boolean cluster;
    private final boolean on;
    private final int max;
    private final long roomWaitMillis;
    private final BatchLane onlyLane;
    private final Map<MasterSlaveEntry, BatchLane> lanes = new ConcurrentHashMap<>();
    private final BatchSizes sizes = new BatchSizes();
    private final Direct alone;
    /** The objects of {@code alone} that the client never resends, for reads too. */
    private final Command.Target onceMore;
    private final BatchOptions options = BatchOptions.defaults().retryAttempts(0);
    private final RedisHealth health;

    /**
     * @param on             false sends every command alone, as it comes
     * @param max            the most commands in one batch
     * @param roomWaitMillis how long a call waits for room when {@code 8 × max} calls for its node are out
     * @param health         whether the manager's Redis is reachable: a batch that finds it
     *                       unreachable marks it down before the next batch would go, and calls
     *                       still waiting then are not sent (null: always sent)
     */
    public NaturalBatches(RedissonClient redis, boolean on, int max, long roomWaitMillis, RedisHealth health) {
        this.redis = redis;
        this.health = health;
        this.on = on;
        this.max = max;
        this.roomWaitMillis = roomWaitMillis;
        this.executor = redis instanceof Redisson redisson ? redisson.getCommandExecutor() : null;
        this.nodes = executor == null ? null : executor.getConnectionManager();
        this.cluster = redis.getConfig().isClusterConfig();
        this.onlyLane = newLane();
        this.alone = new Direct(redis);
        this.onceMore = alone.neverResent();
    }

    private BatchLane newLane() {
        return new BatchLane(this::send, max, ROOM_PER_BATCH_COMMAND * max, roomWaitMillis);
    }

    /** Sends every command alone, as it comes. */
    static NaturalBatches off(RedissonClient redis) {
        return new NaturalBatches(redis, false, 1, 0, null);
    }

    /** How large the batches have been. */
    public BatchSizes sizes() {
        return sizes;
    }

    /** Runs {@code command} and waits for its reply; throws what the client reports. */
    <T> T call(Command<T> command) {
        if (!on) {
            return join(command.issue(alone));
        }
        BatchLane.Call<T> call = new BatchLane.Call<>(command);
        try {
            lane(command.key()).add(call);
            return call.await();
        } catch (CompletionException e) {
            if (command.isWrite() || !call.wasSentOnce() || !BatchLane.mayResend(e)) {
                throw e;
            }
            // the batch was the read's first attempt; this is its one retry, as it would have alone
            return join(command.issue(onceMore));
        }
    }

    private BatchLane lane(String key) {
        if (nodes == null || !cluster) {
            return onlyLane; // one master
        }
        MasterSlaveEntry node = nodes.getEntry(key);
        return node == null ? onlyLane : lanes.computeIfAbsent(node, n -> newLane());
    }

    /**
     * Sends one batch; the result completes once its callers have their replies. While Redis is
     * known to be unreachable, it fails the calls unsent instead: they queued before that was
     * known, and would each wait for a timeout.
     */
    private CompletableFuture<?> send(List<BatchLane.Call<?>> calls) {
        if (health != null && health.isDown()) {
            NotSent failure = new NotSent();
            calls.forEach(call -> call.fail(failure));
            return CompletableFuture.completedFuture(null);
        }
        sizes.record(calls.size());
        if (calls.size() == 1) {
            BatchLane.Call<?> call = calls.get(0);
            return answered(call.issue(alone), () -> call.settle(),
                    call.command().isWrite() ? DownWhen.UNANSWERED : DownWhen.UNREACHABLE);
        }
        if (oneSlotOfSimpleCommands(calls)) {
            return executor != null && allGets(calls) ? answerByMget(calls) : many(calls);
        }
        calls.forEach(BatchLane.Call::markSentOnce);
        boolean anyWrite = calls.stream().anyMatch(call -> call.command().isWrite());
        RBatch batch = redis.createBatch(options);
        Command.Target target = new InBatch(batch);
        CompletableFuture<?>[] replies = new CompletableFuture<?>[calls.size()];
        for (int i = 0; i < replies.length; i++) {
            replies[i] = calls.get(i).issue(target);
        }
        CompletableFuture<?> executed = batch.executeAsync().toCompletableFuture();
        return answered(answers(replies, executed), () -> settle(calls, executed),
                anyWrite ? DownWhen.UNANSWERED : DownWhen.NEVER);
    }

    /**
     * Completes when every reply has, or when the batch has failed: Redisson fails a batch whole
     * when Redis refused a command of it as one to try again later (BUSY, LOADING, CLUSTERDOWN...),
     * and leaves the commands it refused so without a reply; waiting for their replies would hold
     * the lane for ever (seen in {@code TransientRefusalFaultTests}).
     */
    private static CompletableFuture<?> answers(CompletableFuture<?>[] replies, CompletableFuture<?> executed) {
        CompletableFuture<Void> answers = new CompletableFuture<>();
        CompletableFuture.allOf(replies).whenComplete((ignored, failure) -> complete(answers, failure));
        executed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                answers.completeExceptionally(failure);
            }
        });
        return answers;
    }

    private static void complete(CompletableFuture<Void> future, Throwable failure) {
        if (failure == null) {
            future.complete(null);
        } else {
            future.completeExceptionally(failure);
        }
    }

    /**
     * Gives each caller its reply, or, if the batch failed without one, the batch's failure. A
     * command failed because the connection closed while the batch was being written may have
     * run (Redis ran what it had received): its outcome is unknown.
     */
    private static void settle(List<BatchLane.Call<?>> calls, CompletableFuture<?> executed) {
        Throwable batchFailure = executed.isCompletedExceptionally() ? executed.handle((ignored, f) -> f).join() : null;
        boolean noneAnswered = batchFailure != null && calls.stream().noneMatch(BatchLane.Call::isAnswered);
        for (BatchLane.Call<?> call : calls) {
            Throwable own = call.failure();
            if (!call.isAnswered() && batchFailure != null) {
                call.fail(new Failures.NoReplyInBatch(batchFailure, noneAnswered));
            } else if (own != null && Failures.mayBePartlyWritten(own)) {
                call.fail(new Failures.NoReplyInBatch(own, false));
            } else {
                call.settle();
            }
        }
    }

    /**
     * A future that completes when {@code answers} has and {@code wake} has given the callers their
     * replies. The lane sends its next batch from there: waking the callers first lets some of
     * them queue their next call in time for it, so batches grow with the load instead of
     * splitting into more, smaller round trips (measured: 12 commands a batch against 6.5 at 16
     * threads, and more throughput on a CPU-bound client). A failure that {@code down} takes to
     * show Redis unreachable marks it down first, so that the next batch is not sent.
     */
    private CompletableFuture<?> answered(CompletableFuture<?> answers, Runnable wake, DownWhen down) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        answers.whenComplete((ignored, failure) -> {
            try {
                try {
                    Throwable cause = failure == null || health == null ? null : Failures.unwrap(failure);
                    if (cause != null && down.shows(cause)) {
                        health.unavailable(cause);
                    }
                } finally {
                    wake.run(); // whatever happened above: a caller not woken would wait for ever
                }
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * When the failure of a batch shows Redis unreachable before its callers have tried further:
     * what each caller would conclude from it at once, and no more.
     */
    private enum DownWhen {
        /** Reads the client has resent already: any failure to reach Redis, as a lone read's caller concludes. */
        UNREACHABLE,
        /**
         * A batch with writes, sent once: only when no reply came, which a write's caller takes as
         * Redis unreachable at once. One that provably did not run is tried once more by its caller.
         */
        UNANSWERED,
        /** Reads sent once, which their callers send again alone: not yet. */
        NEVER;

        boolean shows(Throwable cause) {
            return switch (this) {
                case UNREACHABLE -> RedisCalls.isUnreachable(cause);
                case UNANSWERED -> Failures.of(cause) == Failures.UNKNOWN && RedisCalls.isUnreachable(cause);
                case NEVER -> false;
            };
        }
    }

    /** True when every call is a simple command ({@link Command.Merge}) and, on a cluster, all share one slot. */
    private boolean oneSlotOfSimpleCommands(List<BatchLane.Call<?>> calls) {
        int slot = cluster ? ClusterSlots.slot(calls.get(0).command().key()) : 0;
        for (BatchLane.Call<?> call : calls) {
            if (call.command().merge() == null || cluster && ClusterSlots.slot(call.command().key()) != slot) {
                return false;
            }
        }
        return true;
    }

    private static boolean allGets(List<BatchLane.Call<?>> calls) {
        for (BatchLane.Call<?> call : calls) {
            if (!call.command().merge().isGet()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Simple commands of several kinds (GETs, GETEXs, SETs): one call of {@code many.lua}, with
     * neighbouring commands of the same kind and TTL in one group of arguments.
     */
    @SuppressWarnings("unchecked")
    private CompletableFuture<?> many(List<BatchLane.Call<?>> calls) {
        List<Object> keys = new ArrayList<>(calls.size());
        List<Object> args = new ArrayList<>();
        boolean write = false;
        Command.Merge group = null;
        int countAt = 0;
        int count = 0;
        for (BatchLane.Call<?> call : calls) {
            Command.Merge merge = call.command().merge();
            keys.add(call.command().key());
            if (group == null || !group.sameGroup(merge)) {
                if (group != null) {
                    args.set(countAt, StoreContext.ascii(count));
                }
                group = merge;
                args.add(merge.command());
                args.add(merge.ttl());
                countAt = args.size();
                args.add(null);
                count = 0;
            }
            count++;
            if (merge.isWrite()) {
                args.add(merge.value());
                write = true;
            }
        }
        args.set(countAt, StoreContext.ascii(count));
        if (write) {
            calls.forEach(BatchLane.Call::markSentOnce);
        }
        CompletableFuture<Object> reply = ScriptRunner.runAsync(alone.scripts(write), Scripts.MANY, keys, args.toArray(),
                RScript.ReturnType.LIST);
        return answerEach(calls, reply, write ? DownWhen.UNANSWERED : DownWhen.UNREACHABLE, (answer, i) -> {
            List<Object> replies = (List<Object>) answer;
            Object value = i < replies.size() ? replies.get(i) : null;
            if (value instanceof List<?> error) {
                return Failures.ofErrorReply(text(error.get(0))); // refused: this command's own failure
            }
            return calls.get(i).command().merge().isWrite() ? null : value;
        });
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /** GETs only: one MGET, whose reply lists the values in the order of the keys. */
    private CompletableFuture<?> answerByMget(List<BatchLane.Call<?>> calls) {
        Object[] keys = new Object[calls.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = calls.get(i).command().key();
        }
        return answerEach(calls, mgetAsync(keys), DownWhen.UNREACHABLE, (found, i) -> i < found.size() ? found.get(i) : null);
    }

    private CompletableFuture<List<Object>> mgetAsync(Object[] keys) {
        return executor.<List<Object>, List<Object>>readAsync((String) keys[0], ByteArrayCodec.INSTANCE,
                RedisCommands.MGET, keys).toCompletableFuture();
    }

    /** True when one MGET may read any keys: one master, and a client that can send it. */
    boolean oneMgetReadsAnyKeys() {
        return executor != null && !cluster;
    }

    /**
     * The values of {@code keys} by one MGET, in their order (null where absent), as the client
     * sends reads, resent by it if need be; only where {@link #oneMgetReadsAnyKeys}.
     */
    List<Object> mget(String[] keys) {
        return Replies.await(mgetAsync(keys), this::shutDown);
    }

    /**
     * Answers each call of a batch that went as one command: with {@code reply}'s failure, or with
     * what {@code part} takes out of it for the call at that index, which fails that call alone
     * when it is a failure.
     */
    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<?> answerEach(List<BatchLane.Call<?>> calls, CompletableFuture<R> reply, DownWhen down,
                                                BiFunction<R, Integer, Object> part) {
        return answered(reply, () -> {
            boolean failed = reply.isCompletedExceptionally();
            R answer = failed ? null : reply.join();
            for (int i = 0; i < calls.size(); i++) {
                BatchLane.Call<Object> call = (BatchLane.Call<Object>) calls.get(i);
                if (failed) {
                    call.failAs(reply);
                    continue;
                }
                Object own = part.apply(answer, i);
                if (own instanceof Throwable failure) {
                    call.fail(failure);
                } else {
                    call.complete(own);
                }
            }
        }, down);
    }

    private <T> T join(RFuture<T> future) {
        return Replies.await(future.toCompletableFuture(), this::shutDown);
    }

    private boolean shutDown() {
        return Replies.shutDown(redis);
    }

    /**
     * The manager closed (and its client shut down, unless others use it): fails the calls still
     * waiting in the lanes or on their way, which the client may never answer.
     */
    public void abandon() {
        RedissonShutdownException closed = new RedissonShutdownException("the cache manager closed while the call"
                + " waited for its reply");
        onlyLane.abandon(closed);
        lanes.values().forEach(lane -> lane.abandon(closed));
    }

    /**
     * A call that waited in its lane until Redis was found unreachable, and was then not sent: it
     * did not run, and it tells of Redis being unreachable as a refused connection would.
     */
    static final class NotSent extends RedisConnectionException {
        private static final long serialVersionUID = 1L;

        NotSent() {
            super("not sent: Redis was found unreachable while the call waited for its turn; failing fast until it is back");
        }
    }

    /** Commands queued into one pipeline. */
    private static final class InBatch implements Command.Target {
        private final RBatch batch;
        private RScriptAsync scripts;

        InBatch(RBatch batch) {
            this.batch = batch;
        }

        @Override
        public RBucketAsync<byte[]> bucket(String key, boolean write) {
            return batch.getBucket(key, ByteArrayCodec.INSTANCE);
        }

        @Override
        public RScriptAsync scripts(boolean write) {
            if (scripts == null) {
                scripts = batch.getScript(ByteArrayCodec.INSTANCE);
            }
            return scripts;
        }
    }

    /** Commands sent on their own; writes through objects the client never resends. */
    private static final class Direct implements Command.Target {
        private final RedissonClient redis;
        private final RScript scripts;
        private final RScript scriptsOnce;

        Direct(RedissonClient redis) {
            this.redis = redis;
            this.scripts = redis.getScript(ByteArrayCodec.INSTANCE);
            this.scriptsOnce = redis.getScript(OptionalOptions.defaults().codec(ByteArrayCodec.INSTANCE).retryAttempts(0));
        }

        @Override
        public RBucketAsync<byte[]> bucket(String key, boolean write) {
            return write ? redis.getBucket(PlainOptions.name(key).codec(ByteArrayCodec.INSTANCE).retryAttempts(0))
                    : redis.getBucket(key, ByteArrayCodec.INSTANCE);
        }

        @Override
        public RScriptAsync scripts(boolean write) {
            return write ? scriptsOnce : scripts;
        }

        /** These objects, every command going as a write goes: never resent by the client. */
        Command.Target neverResent() {
            return new Command.Target() {
                @Override
                public RBucketAsync<byte[]> bucket(String key, boolean write) {
                    return Direct.this.bucket(key, true);
                }

                @Override
                public RScriptAsync scripts(boolean write) {
                    return Direct.this.scripts(true);
                }
            };
        }
    }
}
