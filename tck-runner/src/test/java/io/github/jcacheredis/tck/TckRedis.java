package io.github.jcacheredis.tck;

import io.github.jcacheredis.testsupport.RedisServer;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts a throwaway redis-server before the TCK runs and points the default CacheManager at it
 * through the {@code redis.url} system property; stops it when the run ends.
 */
public final class TckRedis implements LauncherSessionListener {

    private RedisServer server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        server = RedisServer.start();
        System.setProperty("redis.url", server.uri());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            server.close();
        }
    }
}
