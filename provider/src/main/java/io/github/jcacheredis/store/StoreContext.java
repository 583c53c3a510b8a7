package io.github.jcacheredis.store;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RBuckets;
import org.redisson.api.RKeys;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysOptions;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * What the command classes of one cache share: the client, the key layout, calls and scripts,
 * and what writes publish now. Objects for writes are built with no retry, so Redisson never sends a write twice (after a
 * response timeout it would, and both copies could run); {@link RedisCalls} decides when a write
 * may be sent again.
 */
final class StoreContext {

    final RedissonClient redis;
    final KeyLayout layout;
    final RedisCalls calls;
    final ScriptRunner scripts;
    private final NaturalBatches batches;
    private final PublishedWrites published = new PublishedWrites();

    StoreContext(RedissonClient redis, KeyLayout layout, RedisCalls calls, NaturalBatches batches) {
        this.redis = redis;
        this.layout = layout;
        this.calls = calls;
        this.batches = batches;
        this.scripts = new ScriptRunner(redis, batches);
    }

    /** Runs a single-entry command (batched with other threads' calls) and waits for its reply. */
    <T> T send(Command<T> command) {
        return batches.call(command);
    }

    /** True when {@link #mget} may read any keys of the cache (one master). */
    boolean oneMgetReadsAnyKeys() {
        return batches.oneMgetReadsAnyKeys();
    }

    /** The values of {@code keys} by one MGET, in their order, null where absent. */
    List<Object> mget(String[] keys) {
        return batches.mget(keys);
    }

    /** The publication writes use now (reads that depend on it: access TTLs while expiry is tracked). */
    Publication publication() {
        return published.current();
    }

    /**
     * The publication a read that sets a TTL goes by (while expiry is tracked it must move the due
     * time too), once it is known.
     */
    Publication publicationForAccess() {
        awaitPublicationKnown();
        return published.current();
    }

    /** A write under the current publication: decide with its publication, close it once the write has ended. */
    PublishedWrites.Write beginWrite() {
        awaitPublicationKnown();
        return published.begin();
    }

    /** Writes that begin before {@code known} completes wait for it, up to the client's timeout. */
    void holdWritesUntil(CompletableFuture<Void> known) {
        published.holdUntil(known, RedisTopology.timeoutMillis(redis));
    }

    /** Waits for the first read of who listens, unless Redis is known to be unreachable (then it fails fast anyway). */
    private void awaitPublicationKnown() {
        if (!published.isKnown() && !calls.isDown()) {
            published.awaitKnown();
        }
    }

    /** Installs the publication for later writes; completes once the writes that began before have ended. */
    CompletableFuture<Void> publishTo(Publication publication) {
        return published.switchTo(publication);
    }

    RBucket<byte[]> bucket(String encodedKey) {
        return redis.getBucket(layout.entryKey(encodedKey), ByteArrayCodec.INSTANCE);
    }

    /**
     * Waits for a reply as a synchronous call of the client would, but gives up once the client
     * has shut down (it answers only its last 100 calls then; a bulk call's caller waited for ever).
     */
    <T> T await(CompletionStage<T> reply) {
        return Replies.get(reply, redis);
    }

    /** Executes a pipeline as {@link #await} waits. */
    void execute(RBatch batch) {
        Replies.execute(batch, redis);
    }

    /** A pipeline of writes that Redisson does not resend. */
    RBatch writeBatch() {
        return redis.createBatch(BatchOptions.defaults().retryAttempts(0));
    }

    /** MSET and friends, not resent. */
    RBuckets writeBuckets() {
        return redis.getBuckets(OptionalOptions.defaults().codec(ByteArrayCodec.INSTANCE).retryAttempts(0));
    }

    /** DEL and friends, not resent. */
    RKeys writeKeys() {
        return redis.getKeys(KeysOptions.defaults().retryAttempts(0));
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] ascii(long number) {
        return ascii(Long.toString(number));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
