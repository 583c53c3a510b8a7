package io.github.jcacheredis.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.CacheException;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * Parses {@code redis://[user:password@]host[:port][/db][?key=value&...]} and its TLS form
 * {@code rediss://} into a single-server Redisson config. Query parameters are provider keys,
 * except {@code ssl-truststore} (a URL of a JKS or PKCS12 trust store) and
 * {@code ssl-truststore-password}, which configure TLS.
 */
final class RedisUris {

    static final int MINIMUM_IDLE_CONNECTIONS = 4;
    static final String TRUSTSTORE = "ssl-truststore";
    static final String TRUSTSTORE_PASSWORD = "ssl-truststore-password";

    private RedisUris() {
    }

    static boolean isRedisUri(URI uri) {
        String scheme = uri.getScheme();
        return "redis".equalsIgnoreCase(scheme) || "rediss".equalsIgnoreCase(scheme);
    }

    static ConnectionSpec connection(URI uri) {
        String scheme = uri.getScheme().toLowerCase();
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new CacheException("the Redis URI " + redact(uri) + " names no host");
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        int database = database(uri);
        String[] credentials = credentials(uri);
        String address = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Map<String, String> query = query(uri);
        String truststore = query.get(TRUSTSTORE);
        String truststorePassword = query.get(TRUSTSTORE_PASSWORD);
        String identity = address + "/" + database + (credentials[0] == null ? "" : "?user=" + credentials[0])
                + (truststore == null ? "" : "&truststore=" + truststore);
        return new ConnectionSpec(identity, () -> {
            Config config = new Config();
            SingleServerConfig server = config.useSingleServer().setAddress(address).setDatabase(database)
                    // Redisson opens 24 connections up front; a cache grows its pool on demand instead
                    .setConnectionMinimumIdleSize(MINIMUM_IDLE_CONNECTIONS)
                    .setSubscriptionConnectionMinimumIdleSize(1);
            if (credentials[1] != null) {
                config.setPassword(credentials[1]);
            }
            if (credentials[0] != null) {
                config.setUsername(credentials[0]);
            }
            if (truststore != null) {
                server.setSslTruststore(url(truststore));
                server.setSslTruststorePassword(truststorePassword);
            }
            return config;
        });
    }

    /** The provider keys among the query parameters. */
    static Map<String, String> providerQuery(URI uri) {
        Map<String, String> values = query(uri);
        values.remove(TRUSTSTORE);
        values.remove(TRUSTSTORE_PASSWORD);
        return values;
    }

    private static java.net.URL url(String text) {
        try {
            return URI.create(text).toURL();
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            throw new CacheException(TRUSTSTORE + " must be a URL such as file:/path/truststore.p12, not '" + text + "'");
        }
    }

    /** The provider keys given as query parameters. */
    static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.put(name, value);
        }
        return values;
    }

    /** The URI without its passwords, for messages and logs. */
    static String redact(URI uri) {
        String text = uri.toString().replaceAll("(" + TRUSTSTORE_PASSWORD + "=)[^&]*", "$1***");
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return text;
        }
        int colon = userInfo.indexOf(':');
        String safe = colon < 0 ? "" : userInfo.substring(0, colon) + ":***";
        return text.replace(userInfo + "@", safe.isEmpty() ? "***@" : safe + "@");
    }

    private static int database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new CacheException("the Redis URI " + redact(uri) + " has '" + path
                    + "' where a database number was expected");
        }
    }

    /** {user, password}; a lone user-info part is a password, as in redis-cli's URIs. */
    private static String[] credentials(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return new String[2];
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return new String[] {null, decode(userInfo)};
        }
        String user = decode(userInfo.substring(0, colon));
        return new String[] {user.isEmpty() ? null : user, decode(userInfo.substring(colon + 1))};
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
