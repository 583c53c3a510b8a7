package io.github.jcacheredis.store;

import io.github.jcacheredis.config.ConnectionSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.CacheException;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A CacheManager's handle on a Redisson client. Managers that resolve to the same connection share
 * one client, which is shut down when the last of them closes. A client the application passed in
 * is used as is and never shut down by the provider.
 */
public final class RedisConnection implements AutoCloseable {

    private static final Map<String, Shared> SHARED = new HashMap<>();

    private final RedissonClient client;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisConnection(RedissonClient client, Runnable onClose) {
        this.client = client;
        this.onClose = onClose;
    }

    /** A handle on the shared client for {@code spec}, creating it if this is the first. */
    public static RedisConnection open(ConnectionSpec spec) {
        synchronized (SHARED) {
            Shared shared = SHARED.get(spec.identity());
            if (shared == null) {
                shared = new Shared(create(spec));
                SHARED.put(spec.identity(), shared);
            }
            shared.users++;
            Shared lease = shared;
            return new RedisConnection(shared.client, () -> release(spec.identity(), lease));
        }
    }

    /** A handle on a client the application owns; closing the handle leaves the client running. */
    public static RedisConnection external(RedissonClient client) {
        return new RedisConnection(client, () -> { });
    }

    public RedissonClient client() {
        return client;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    private static RedissonClient create(ConnectionSpec spec) {
        Config config = spec.config().get();
        try {
            return Redisson.create(config);
        } catch (RuntimeException e) {
            throw new CacheException("cannot connect to Redis at " + spec.identity() + ": " + e.getMessage(), e);
        }
    }

    private static void release(String identity, Shared shared) {
        boolean last;
        synchronized (SHARED) {
            last = --shared.users == 0;
            if (last) {
                SHARED.remove(identity, shared);
            }
        }
        if (last) {
            shared.client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static final class Shared {
        final RedissonClient client;
        int users;

        Shared(RedissonClient client) {
            this.client = client;
        }
    }
}
