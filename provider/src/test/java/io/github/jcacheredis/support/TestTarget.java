package io.github.jcacheredis.support;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RespClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheManager;

/**
 * The Redis an integration test runs against, standalone or a three-master cluster, so that the
 * same test class can run on both.
 */
public abstract class TestTarget {

    /** The manager URI; with the namespace given as a property, as {@link #newManager} does. */
    public abstract URI uri();

    /** Runs a single-key command on the node that holds {@code key}. */
    public abstract Object call(String key, Object... args);

    /** KEYS {@code pattern} over every master. */
    public abstract List<String> keys(String pattern);

    /**
     * A new manager in {@code namespace}, from its own provider instance so that two calls give two
     * independent managers with their own connections, as two application instances have.
     */
    public CacheManager newManager(String namespace) {
        Properties properties = new Properties();
        properties.setProperty("namespace", namespace);
        return new RedisCachingProvider().getCacheManager(uri(), TestTarget.class.getClassLoader(), properties);
    }

    /** Both targets, for {@code @ParameterizedClass} tests. */
    public static java.util.stream.Stream<TestTarget> both() {
        return java.util.stream.Stream.of(standalone(), cluster());
    }

    public static TestTarget standalone() {
        return Standalone.INSTANCE;
    }

    public static synchronized TestTarget cluster() {
        if (Cluster.instance == null) {
            Cluster.instance = new Cluster(RedisCluster.start(3));
        }
        return Cluster.instance;
    }

    private static final class Standalone extends TestTarget {
        static final Standalone INSTANCE = new Standalone();

        @Override
        public URI uri() {
            return URI.create(TestRedis.server().uri());
        }

        @Override
        public Object call(String key, Object... args) {
            return TestRedis.server().call(args);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<String> keys(String pattern) {
            return (List<String>) TestRedis.server().call("KEYS", pattern);
        }

        @Override
        public String toString() {
            return "standalone";
        }
    }

    private static final class Cluster extends TestTarget {
        static Cluster instance;

        private final RedisCluster cluster;
        private final URI uri;

        Cluster(RedisCluster cluster) {
            this.cluster = cluster;
            this.uri = cluster.writeRedissonConfig();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public Object call(String key, Object... args) {
            RedisServer node = cluster.masters().get(0);
            for (int hop = 0; hop < 3; hop++) {
                try (RespClient client = node.client()) {
                    return client.call(args);
                } catch (RespClient.RedisReplyException e) {
                    if (!e.getMessage().startsWith("MOVED")) {
                        throw e;
                    }
                    int port = Integer.parseInt(e.getMessage().substring(e.getMessage().lastIndexOf(':') + 1));
                    node = cluster.masters().stream().filter(m -> m.port() == port).findFirst().orElseThrow();
                }
            }
            throw new IllegalStateException("no node answered for " + key);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<String> keys(String pattern) {
            List<String> all = new ArrayList<>();
            for (RedisServer master : cluster.masters()) {
                all.addAll((List<String>) master.call("KEYS", pattern));
            }
            return all;
        }

        @Override
        public String toString() {
            return "cluster";
        }
    }
}
