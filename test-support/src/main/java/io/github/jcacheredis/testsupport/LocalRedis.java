package io.github.jcacheredis.testsupport;

import java.io.PrintStream;
import java.net.URI;

/**
 * Makes sure an example has a Redis: the one named by REDIS_URL / redis.url, else the one on
 * localhost:6379, else a throwaway redis-server started for the run (and then named by redis.url).
 */
public final class LocalRedis implements AutoCloseable {

    private final RedisServer started;
    private final URI uri;

    private LocalRedis(RedisServer started, URI uri) {
        this.started = started;
        this.uri = uri;
    }

    public static LocalRedis ensure(PrintStream out) {
        String configured = System.getenv("REDIS_URL");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("redis.url");
        }
        URI uri = URI.create(configured == null || configured.isBlank() ? "redis://localhost:6379" : configured);
        if (answers(uri)) {
            return new LocalRedis(null, uri);
        }
        if (configured != null && !configured.isBlank()) {
            throw new IllegalStateException("no Redis answers at " + uri.getHost() + ":" + uri.getPort());
        }
        RedisServer server = RedisServer.start();
        System.setProperty("redis.url", server.uri());
        out.println("(no Redis on localhost:6379, so this run uses a throwaway redis-server on port " + server.port()
                + "; its data goes away when the example ends)");
        return new LocalRedis(server, URI.create(server.uri()));
    }

    /** A plain connection to the same Redis, to show what redis-cli would show. */
    public RespClient cli() {
        return new RespClient(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    private static boolean answers(URI uri) {
        if (!"redis".equals(uri.getScheme())) {
            return true; // TLS or a config file: let the provider connect
        }
        try (RespClient client = new RespClient(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            if (uri.getUserInfo() != null) {
                return true;
            }
            return "PONG".equals(client.callString("PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (started != null) {
            started.close();
        }
    }
}
