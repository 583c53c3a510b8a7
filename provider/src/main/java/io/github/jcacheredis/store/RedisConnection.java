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
 * A CacheManager's handle on a Redisson client. Managers of one provider that resolve to the same
 * connection share one client ({@link Pool}), which is shut down when the last of them closes. A
 * client the application passed in is used as is and never shut down by the provider.
 */
public final class RedisConnection implements AutoCloseable {

    private final RedissonClient client;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisConnection(RedissonClient client, Runnable onClose) {
        this.client = client;
        this.onClose = onClose;
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

    /** The clients of one provider, shared by connection identity and counted by their users. */
    public static final class Pool {

        private final Map<String, Shared> shared = new HashMap<>();

        /** A handle on the shared client for {@code spec}, creating it if this is the first. */
        public RedisConnection open(ConnectionSpec spec) {
            synchronized (shared) {
                Shared entry = shared.get(spec.identity());
                if (entry == null) {
                    entry = new Shared(create(spec));
                    shared.put(spec.identity(), entry);
                }
                entry.users++;
                Shared lease = entry;
                return new RedisConnection(entry.client, () -> release(spec.identity(), lease));
            }
        }

        private void release(String identity, Shared entry) {
            boolean last;
            synchronized (shared) {
                last = --entry.users == 0;
                if (last) {
                    shared.remove(identity, entry);
                }
            }
            if (last) {
                entry.client.shutdown(0, 2, TimeUnit.SECONDS);
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
    }

    private static final class Shared {
        final RedissonClient client;
        int users;

        Shared(RedissonClient client) {
            this.client = client;
        }
    }
}
