package io.github.jcacheredis.tck;

import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the Redis the TCK runs against before any test and points the default CacheManager at
 * it through the {@code redis.url} system property; stops it when the run ends. With
 * {@code -Dtck.redis=cluster} it is a local three-master Redis Cluster (through a Redisson config
 * file); with {@code -Dtck.redis=memory} there is no Redis and the caches keep their entries in
 * memory (the JCache rules alone, apart from Redis); otherwise one redis-server.
 */
public final class TckRedis implements LauncherSessionListener {

    private AutoCloseable redis;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if ("memory".equals(System.getProperty("tck.redis"))) {
            System.setProperty("redis.url", "memory:tck");
        } else if ("cluster".equals(System.getProperty("tck.redis"))) {
            RedisCluster cluster = RedisCluster.start(3);
            redis = cluster;
            System.setProperty("redis.url", cluster.writeRedissonConfig().toString());
        } else {
            RedisServer server = RedisServer.start();
            redis = server;
            System.setProperty("redis.url", server.uri());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (redis != null) {
            try {
                redis.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
