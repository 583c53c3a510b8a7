package io.github.jcacheredis.store;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javax.cache.CacheException;
import org.redisson.api.RFuture;
import org.redisson.client.RedisException;

/** Runs Redis calls and reports their failures as {@link CacheException}s that name the cache. */
final class RedisCalls {

    private final String cacheName;

    RedisCalls(String cacheName) {
        this.cacheName = cacheName;
    }

    <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisException | CompletionException | IllegalStateException e) {
            throw failure(operation, e);
        }
    }

    <T> T await(String operation, RFuture<T> future) {
        try {
            return future.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw failure(operation, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("Cache[" + cacheName + "]: interrupted during Redis " + operation, e);
        }
    }

    CacheException failure(String operation, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return new CacheException("Cache[" + cacheName + "]: Redis " + operation + " failed: " + cause.getMessage(), cause);
    }
}
