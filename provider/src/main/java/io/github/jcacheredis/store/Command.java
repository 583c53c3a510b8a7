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
    private final boolean plainGet;
    private final Function<RBucketAsync<byte[]>, RFuture<T>> onBucket;
    private final Function<RScriptAsync, RFuture<T>> onScripts;

    private Command(String key, boolean write, boolean plainGet, Function<RBucketAsync<byte[]>, RFuture<T>> onBucket,
                    Function<RScriptAsync, RFuture<T>> onScripts) {
        this.key = key;
        this.write = write;
        this.plainGet = plainGet;
        this.onBucket = onBucket;
        this.onScripts = onScripts;
    }

    /** GET of a key: the one command a batch may merge with others into an MGET. */
    static Command<byte[]> get(String key) {
        return new Command<>(key, false, true, RBucketAsync::getAsync, null);
    }

    /** A read of the entry at {@code key} (a GETEX, EXISTS, PEXPIRE...): resendable. */
    static <T> Command<T> read(String key, Function<RBucketAsync<byte[]>, RFuture<T>> operation) {
        return new Command<>(key, false, false, operation, null);
    }

    /** A write of the entry at {@code key} (SET, DEL, GETDEL...): never resent. */
    static <T> Command<T> write(String key, Function<RBucketAsync<byte[]>, RFuture<T>> operation) {
        return new Command<>(key, true, false, operation, null);
    }

    /** An EVALSHA of {@code script}, routed by its first key; {@code write} when it must not run twice. */
    static Command<List<Object>> script(LuaScript script, List<Object> keys, Object[] args, boolean write) {
        String first = (String) keys.get(0);
        return new Command<>(first, write, false, null, scripts -> scripts.evalShaAsync(first, RScript.Mode.READ_WRITE,
                script.sha(), RScript.ReturnType.LIST, keys, args));
    }

    String key() {
        return key;
    }

    boolean isWrite() {
        return write;
    }

    boolean isPlainGet() {
        return plainGet;
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
}
