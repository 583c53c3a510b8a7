package io.github.jcacheredis.store;

import java.util.List;
import java.util.function.Function;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;

/**
 * One single-key Redis command, which {@link NaturalBatches} sends alone or in a batch with others
 * for the same node. It is an operation on an entry's bucket or a script call; either way it knows
 * its key (which picks the node) and whether it writes. A write is never resent by the client.
 *
 * @param <T> the reply
 */
final class Command<T> {

    private final String key;
    private final boolean write;
    private final Merge merge;
    private final Function<RBucketAsync<byte[]>, RFuture<T>> onBucket;
    private final Function<RScriptAsync, RFuture<T>> onScripts;

    private Command(String key, boolean write, Merge merge, Function<RBucketAsync<byte[]>, RFuture<T>> onBucket,
                    Function<RScriptAsync, RFuture<T>> onScripts) {
        this.key = key;
        this.write = write;
        this.merge = merge;
        this.onBucket = onBucket;
        this.onScripts = onScripts;
    }

    /** GET of a key; a batch of nothing else merges into an MGET. */
    static Command<byte[]> get(String key) {
        return new Command<>(key, false, Merge.GET, RBucketAsync::getAsync, null);
    }

    /** A read of the entry at {@code key} (a GETEX, EXISTS, PEXPIRE...): resendable. */
    static <T> Command<T> read(String key, Function<RBucketAsync<byte[]>, RFuture<T>> operation) {
        return new Command<>(key, false, null, operation, null);
    }

    /** A write of the entry at {@code key} (SET, DEL, GETDEL...): never resent. */
    static <T> Command<T> write(String key, Function<RBucketAsync<byte[]>, RFuture<T>> operation) {
        return new Command<>(key, true, null, operation, null);
    }

    /** An EVALSHA of {@code script}, routed by its first key; {@code write} when it must not run twice. */
    static Command<List<Object>> script(LuaScript script, List<Object> keys, Object[] args, boolean write) {
        String first = (String) keys.get(0);
        return new Command<>(first, write, null, null, scripts -> scripts.evalShaAsync(first, RScript.Mode.READ_WRITE,
                script.sha(), RScript.ReturnType.LIST, keys, args));
    }

    String key() {
        return key;
    }

    boolean isWrite() {
        return write;
    }

    /** This command, which a batch may carry inside one command with others ({@link Merge}). */
    Command<T> merging(Merge merge) {
        return new Command<>(key, write, merge, onBucket, onScripts);
    }

    /** How the command merges with others of its kind, or null when it does not. */
    Merge merge() {
        return merge;
    }

    /** Sends the command through {@code on}: a batch being filled, or the client itself. */
    RFuture<T> issue(Target on) {
        return onScripts != null ? onScripts.apply(on.scripts(write)) : onBucket.apply(on.bucket(key, write));
    }

    /** Where commands go: the objects of a batch, or of the client (reads resendable, writes not). */
    interface Target {
        RBucketAsync<byte[]> bucket(String key, boolean write);

        RScriptAsync scripts(boolean write);
    }

    /**
     * A simple command that a batch may carry inside one command for all of them: an MGET when all
     * are GETs, else one call of {@code many.lua} (on a cluster, when all keys share a slot). Its
     * arguments are encoded here, on the caller's thread, so that the thread sending the batch
     * only copies them.
     */
    static final class Merge {

        static final Merge GET = new Merge(Kind.GET, "", 0, null);

        private final Kind kind;
        private final String ttl;
        private final long getexMillis;
        private final byte[] ttlBytes;
        private final byte[] value;

        private Merge(Kind kind, String ttl, long getexMillis, byte[] value) {
            this.kind = kind;
            this.ttl = ttl;
            this.getexMillis = getexMillis;
            this.ttlBytes = StoreContext.ascii(ttl);
            this.value = value;
        }

        /** A SET of {@code value}: {@code ttl} KEEPTTL, NONE, or milliseconds. */
        static Merge set(String ttl, byte[] value) {
            return new Merge(Kind.SET, ttl, 0, value);
        }

        /** A GETEX that sets the TTL to {@code ttlMillis}, or clears it for {@code Ttl.ETERNAL} (negative). */
        static Merge getex(long ttlMillis) {
            return new Merge(Kind.GETEX, ttlMillis < 0 ? "PERSIST" : Long.toString(ttlMillis), ttlMillis, null);
        }

        /** True when this is the GETEX that {@link #getex} gives for {@code ttlMillis}. */
        boolean isGetexOf(long ttlMillis) {
            return kind == Kind.GETEX && getexMillis == ttlMillis;
        }

        boolean isGet() {
            return kind == Kind.GET;
        }

        boolean isWrite() {
            return kind == Kind.SET;
        }

        /** True when {@code other} is the same command with the same TTL: one group of {@code many.lua}. */
        boolean sameGroup(Merge other) {
            return kind == other.kind && ttl.equals(other.ttl);
        }

        byte[] command() {
            return kind.bytes;
        }

        byte[] ttl() {
            return ttlBytes;
        }

        /** The value a SET stores, or null. */
        byte[] value() {
            return value;
        }

        private enum Kind {
            GET, GETEX, SET;

            private final byte[] bytes = StoreContext.ascii(name());
        }
    }
}
