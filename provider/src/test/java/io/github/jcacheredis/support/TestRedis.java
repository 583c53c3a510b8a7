package io.github.jcacheredis.support;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import javax.cache.CacheManager;

/**
 * One throwaway redis-server for the provider's integration tests, started on first use and
 * stopped when the JVM exits. Tests isolate themselves by namespace, never by flushing.
 */
public final class TestRedis {

    private static RedisServer server;

    private TestRedis() {
    }

    public static synchronized RedisServer server() {
        if (server == null) {
            server = RedisServer.start();
            RedisServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return server;
    }

    /** A namespace no other test uses. */
    public static String uniqueNamespace() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The manager URI for {@code namespace} on the test server. */
    public static URI uri(String namespace) {
        return URI.create(server().uri() + "?namespace=" + namespace);
    }

    /**
     * A new manager on the test server in {@code namespace}, from its own provider instance so that
     * two calls give two independent managers (as two application instances would have).
     */
    public static CacheManager newManager(String namespace) {
        return new RedisCachingProvider().getCacheManager(uri(namespace), TestRedis.class.getClassLoader(), new Properties());
    }
}
