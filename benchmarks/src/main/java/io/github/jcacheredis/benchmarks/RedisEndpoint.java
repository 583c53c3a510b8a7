package io.github.jcacheredis.benchmarks;

import io.github.jcacheredis.testsupport.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.redisson.config.Config;

/**
 * The one Redis a benchmark run uses, and how each target is configured to reach it: the server
 * named by {@code REDIS_URL} (or the system property {@code redis.url}), else a throwaway
 * {@code redis-server} on a free port. The targets write only under their own names, all starting
 * with {@link #NAMESPACE}, and delete what they wrote when they close.
 */
final class RedisEndpoint {

    /** The first part of every key or Redis object the benchmarks create. */
    static final String NAMESPACE = "jcache-redis-bench";

    static final String URL_ENV = "REDIS_URL";
    static final String URL_PROPERTY = "redis.url";

    private final URI url;
    private Path yamlFile;

    RedisEndpoint(URI url) {
        if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
            throw new IllegalArgumentException("the benchmarks need a redis:// or rediss:// URL, not " + redacted(url));
        }
        this.url = url;
    }

    /** The URL from {@code REDIS_URL} or {@code redis.url}; null when neither is set. */
    static URI configuredUrl() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            url = System.getProperty(URL_PROPERTY);
        }
        return url == null || url.isBlank() ? null : URI.create(url.trim());
    }

    /** The configured Redis, or a throwaway redis-server that {@link Lease#close()} stops. */
    static Lease acquire() {
        URI configured = configuredUrl();
        if (configured != null) {
            return new Lease(new RedisEndpoint(configured), null);
        }
        RedisServer server = RedisServer.start();
        return new Lease(new RedisEndpoint(URI.create(server.uri())), server);
    }

    URI url() {
        return url;
    }

    /** The URL without its password, for reports. */
    String describe() {
        return redacted(url);
    }

    /** This project's CacheManager URI: the same server, with the benchmarks' namespace. */
    URI jcacheRedisUri() {
        List<String> query = new ArrayList<>();
        if (url.getRawQuery() != null) {
            for (String pair : url.getRawQuery().split("&")) {
                if (!pair.isEmpty() && !pair.startsWith("namespace=")) {
                    query.add(pair);
                }
            }
        }
        query.add("namespace=" + NAMESPACE);
        String base = url.toString();
        int q = base.indexOf('?');
        return URI.create((q < 0 ? base : base.substring(0, q)) + "?" + String.join("&", query));
    }

    /**
     * The Redisson YAML for this server: what Redisson's JCachingProvider is given (as a file URI)
     * and what the raw-bucket target's client is built from, so both connect the same way.
     */
    String redissonYaml() {
        StringBuilder yaml = new StringBuilder("singleServerConfig:\n");
        int port = url.getPort() < 0 ? 6379 : url.getPort();
        yaml.append("  address: ").append(quoted(url.getScheme() + "://" + url.getHost() + ":" + port)).append('\n');
        String path = url.getPath();
        if (path != null && path.length() > 1) {
            yaml.append("  database: ").append(Integer.parseInt(path.substring(1))).append('\n');
        }
        String userInfo = url.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (!user.isEmpty()) {
                yaml.append("  username: ").append(quoted(user)).append('\n');
            }
            yaml.append("  password: ").append(quoted(password)).append('\n');
        }
        return yaml.toString();
    }

    Config redissonConfig() {
        return Config.fromYAML(redissonYaml());
    }

    /** {@link #redissonYaml()} in a file that is deleted when the JVM exits. */
    synchronized Path redissonYamlFile() {
        if (yamlFile == null) {
            try {
                Path file = Files.createTempFile(NAMESPACE + "-redisson-", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, redissonYaml());
                yamlFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Redisson config file", e);
            }
        }
        return yamlFile;
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String redacted(URI uri) {
        String userInfo = uri.getRawUserInfo();
        return userInfo == null ? uri.toString() : uri.toString().replace(userInfo + "@", "***@");
    }

    /** The endpoint of a run, and the server started for it, if one was. */
    static final class Lease implements AutoCloseable {

        private final RedisEndpoint endpoint;
        private final RedisServer started;

        private Lease(RedisEndpoint endpoint, RedisServer started) {
            this.endpoint = endpoint;
            this.started = started;
        }

        RedisEndpoint endpoint() {
            return endpoint;
        }

        /** True when the run uses a redis-server it started itself. */
        boolean startedServer() {
            return started != null;
        }

        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
        }
    }
}
