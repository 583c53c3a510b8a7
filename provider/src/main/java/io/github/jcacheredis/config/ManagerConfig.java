package io.github.jcacheredis.config;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import javax.cache.CacheException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * Resolves what one CacheManager connects to and how it behaves, from its URI and Properties.
 * Provider keys are looked up, highest precedence first, in the Properties, the URI's query (or the
 * config file's {@code jcache:} block), then system properties {@code jcache.redis.<key>}.
 */
public record ManagerConfig(ConnectionSpec connection, ProviderSettings settings) {

    /** The URI of the default CacheManager; it connects to {@link #defaultRedisUrl}. */
    public static final URI DEFAULT_URI = URI.create("jcache-redis:default");

    static final String REDIS_URL_ENV = "REDIS_URL";
    static final String REDIS_URL_PROPERTY = "redis.url";
    static final String FALLBACK_REDIS_URL = "redis://localhost:6379";

    public static ManagerConfig resolve(URI uri, Properties properties, ClassLoader classLoader) {
        return resolve(uri, properties, classLoader, System::getenv);
    }

    static ManagerConfig resolve(URI uri, Properties properties, ClassLoader classLoader,
                                 Function<String, String> environment) {
        URI target = DEFAULT_URI.equals(uri) ? defaultRedisUrl(environment) : uri;
        Map<String, String> values = new HashMap<>(systemPropertyDefaults());
        ConnectionSpec connection;
        boolean fromFile;
        if (RedisUris.isRedisUri(target)) {
            connection = RedisUris.connection(target);
            values.putAll(providerKeysOnly(RedisUris.providerQuery(target)));
            fromFile = false;
        } else if (ConfigFiles.isConfigFileUri(target)) {
            ConfigFiles.ParsedFile file = ConfigFiles.read(target, classLoader);
            connection = file.connection();
            values.putAll(providerKeysOnly(file.providerKeys()));
            fromFile = true;
        } else {
            throw new CacheException("unsupported CacheManager URI '" + target + "': use redis://host:port,"
                    + " rediss://host:port, or a file:, jar: or classpath: URI of a config file");
        }
        ProviderSettings settings = settings(values, properties, RedisUris.redact(target));
        // a config file keeps its own Redisson timeouts unless the timeout setting is given
        boolean explicitTimeout = values.containsKey(ProviderSettings.TIMEOUT)
                || (properties != null && properties.getProperty(ProviderSettings.TIMEOUT) != null);
        if (!fromFile || explicitTimeout) {
            ConnectionSpec base = connection;
            connection = new ConnectionSpec(base.identity() + "#" + settings.timeout().toMillis(),
                    () -> Timeouts.apply(base.config().get(), settings.timeout()));
        }
        return new ManagerConfig(withDefaultCodec(connection), settings);
    }

    /**
     * Redisson falls back to its Kryo codec for calls that name none, and creates it with every
     * client; the provider names a codec on every call, so the fallback is one that needs no
     * library (and Kryo need not be on the class path).
     */
    private static ConnectionSpec withDefaultCodec(ConnectionSpec connection) {
        return new ConnectionSpec(connection.identity(), () -> {
            Config config = connection.config().get();
            if (config.getCodec() == null) {
                config.setCodec(ByteArrayCodec.INSTANCE);
            }
            return config;
        });
    }

    /**
     * The settings of a manager built around an application's own Redisson client: from the
     * Properties and system properties only.
     */
    public static ProviderSettings settingsForClient(Properties properties) {
        return settings(systemPropertyDefaults(), properties, "around an application's RedissonClient");
    }

    private static ProviderSettings settings(Map<String, String> base, Properties properties, String managerName) {
        Map<String, String> values = new HashMap<>(base);
        if (properties != null) {
            for (String key : ProviderSettings.KEYS) {
                String value = properties.getProperty(key);
                if (value != null) {
                    values.put(key, value);
                }
            }
        }
        try {
            return ProviderSettings.from(values);
        } catch (IllegalArgumentException e) {
            throw new CacheException("invalid provider setting for CacheManager " + managerName + ": " + e.getMessage(), e);
        }
    }

    /** The URL the default manager uses: env REDIS_URL, else system property redis.url, else localhost. */
    static URI defaultRedisUrl(Function<String, String> environment) {
        String url = environment.apply(REDIS_URL_ENV);
        if (url == null || url.isBlank()) {
            url = System.getProperty(REDIS_URL_PROPERTY);
        }
        if (url == null || url.isBlank()) {
            url = FALLBACK_REDIS_URL;
        }
        try {
            return URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new CacheException("REDIS_URL / redis.url is not a valid URI", e);
        }
    }

    private static Map<String, String> providerKeysOnly(Map<String, String> values) {
        Map<String, String> known = new HashMap<>();
        values.forEach((key, value) -> {
            if (!ProviderSettings.KEYS.contains(key)) {
                throw new CacheException("unknown provider setting '" + key + "'; known settings: " + ProviderSettings.KEYS);
            }
            known.put(key, value);
        });
        return known;
    }

    private static Map<String, String> systemPropertyDefaults() {
        Map<String, String> values = new HashMap<>();
        for (String key : ProviderSettings.KEYS) {
            String value = System.getProperty(ProviderSettings.SYSTEM_PROPERTY_PREFIX + key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }
}
