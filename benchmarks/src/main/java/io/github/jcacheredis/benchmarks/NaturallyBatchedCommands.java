package io.github.jcacheredis.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Natural batching and nothing else, over plain Redisson: calls that come while an {@link RBatch}
 * is on its way queue, and when it completes they go together as the next one (its callers
 * woken first). No JCache semantics, no per-slot lanes, no fault handling: the ceiling of the
 * approach on the machine, for the provider's batched calls to be compared with.
 */
final class NaturallyBatchedCommands implements RawRedissonTarget.SingleKeyCommands {

    private static final int MAX = 64;

    private final RedissonClient redis;
    private final Queue<Pending<?>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    NaturallyBatchedCommands(RedissonClient redis) {
        this.redis = redis;
    }

    @Override
    public byte[] get(String name) {
        return call(batch -> batch.<byte[]>getBucket(name, ByteArrayCodec.INSTANCE).getAsync());
    }

    @Override
    public void set(String name, byte[] value) {
        call(batch -> batch.getBucket(name, ByteArrayCodec.INSTANCE).setAsync(value));
    }

    @Override
    public byte[] getAndExpire(String name, Duration ttl) {
        return call(batch -> batch.<byte[]>getBucket(name, ByteArrayCodec.INSTANCE).getAndExpireAsync(ttl));
    }

    private <T> T call(Function<RBatch, RFuture<T>> command) {
        Pending<T> pending = new Pending<>(command);
        waiting.offer(pending);
        if (sending.compareAndSet(false, true)) {
            sendNext();
        }
        return pending.reply.join();
    }

    /** Sends what waits as one batch, or leaves the lane idle when nothing does. */
    private void sendNext() {
        List<Pending<?>> batch = new ArrayList<>();
        while (true) {
            Pending<?> next;
            while (batch.size() < MAX && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                break;
            }
            sending.set(false);
            if (waiting.isEmpty() || !sending.compareAndSet(false, true)) {
                return;
            }
        }
        RBatch commands = redis.createBatch();
        for (Pending<?> pending : batch) {
            pending.issue(commands);
        }
        commands.executeAsync().whenComplete((ignored, failure) -> {
            batch.forEach(Pending::settle);
            sendNext();
        });
    }

    /** One caller's command, the client's future of its reply, and the caller's. */
    private static final class Pending<T> {
        private final Function<RBatch, RFuture<T>> command;
        private final CompletableFuture<T> reply = new CompletableFuture<>();
        private CompletableFuture<T> sent;

        Pending(Function<RBatch, RFuture<T>> command) {
            this.command = command;
        }

        void issue(RBatch batch) {
            sent = command.apply(batch).toCompletableFuture();
        }

        void settle() {
            sent.whenComplete((value, failure) -> {
                if (failure != null) {
                    reply.completeExceptionally(failure);
                } else {
                    reply.complete(value);
                }
            });
        }
    }
}
