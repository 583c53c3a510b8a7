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

    /**
     * The scheme of URIs whose manager keeps its caches in this JVM's memory, with the same JCache
     * behaviour and no Redis: for tests. The connection of such a config is null.
     */
    public static final String MEMORY_SCHEME = "memory";

    static final String REDIS_URL_ENV = "REDIS_URL";
    static final String REDIS_URL_PROPERTY = "redis.url";
    static final String FALLBACK_REDIS_URL = "redis://localhost:6379";

    /**
     * A Properties key, not a provider setting: the {@code redis://} URL of the default manager
     * when neither REDIS_URL nor the system property redis.url names one.
     */
    public static final String FALLBACK_URL = "fallback-url";

    public static ManagerConfig resolve(URI uri, Properties properties, ClassLoader classLoader) {
        return resolve(uri, properties, classLoader, System::getenv);
    }

    static ManagerConfig resolve(URI uri, Properties properties, ClassLoader classLoader,
                                 Function<String, String> environment) {
        URI target = target(uri, properties, environment);
        Source source = source(target, classLoader);
        Map<String, String> values = source.values();
        ConnectionSpec connection = source.connection();
        ProviderSettings settings = settings(values, properties, RedisUris.redact(target));
        if (connection == null) {
            return new ManagerConfig(null, settings); // in memory: nothing to connect to
        }
        // a config file keeps its own Redisson timeouts unless the timeout setting is given
        boolean explicitTimeout = values.containsKey(ProviderSettings.TIMEOUT)
                || (properties != null && properties.getProperty(ProviderSettings.TIMEOUT) != null);
        if (!source.fromFile() || explicitTimeout) {
            ConnectionSpec base = connection;
            connection = new ConnectionSpec(base.identity() + "#" + settings.timeout().toMillis(),
                    () -> Timeouts.apply(base.config().get(), settings.timeout()));
        }
        return new ManagerConfig(forTheProvider(connection), settings);
    }

    /**
     * The provider settings a manager would get from its sources as they stand (the Properties,
     * the URI's query or config file, system properties), without defaults: what a framework
     * adding settings of its own must not override.
     */
    public static Map<String, String> givenSettings(URI uri, Properties properties, ClassLoader classLoader) {
        Map<String, String> values = new HashMap<>(source(target(uri, properties, System::getenv), classLoader).values());
        values.putAll(fromProperties(properties));
        return values;
    }

    /** What the URI names: the default URI stands for {@link #defaultRedisUrl}. */
    private static URI target(URI uri, Properties properties, Function<String, String> environment) {
        return DEFAULT_URI.equals(uri) ? defaultRedisUrl(environment, properties) : uri;
    }

    /** Where a manager connects, and the provider keys its URI and the system properties give. */
    private record Source(ConnectionSpec connection, Map<String, String> values, boolean fromFile) {
    }

    private static Source source(URI target, ClassLoader classLoader) {
        Map<String, String> values = new HashMap<>(systemPropertyDefaults());
        if (RedisUris.isRedisUri(target)) {
            values.putAll(providerKeysOnly(RedisUris.providerQuery(target)));
            return new Source(RedisUris.connection(target), values, false);
        }
        if (MEMORY_SCHEME.equals(target.getScheme())) {
            return new Source(null, values, false);
        }
        if (ConfigFiles.isConfigFileUri(target)) {
            ConfigFiles.ParsedFile file = ConfigFiles.read(target, classLoader);
            values.putAll(providerKeysOnly(file.providerKeys()));
            return new Source(file.connection(), values, true);
        }
        throw new CacheException("unsupported CacheManager URI '" + target + "': use redis://host:port,"
                + " rediss://host:port, a file:, jar: or classpath: URI of a config file, or memory:<name>");
    }

    /**
     * Adapts the Redisson configuration of a client the provider creates. Redisson falls back to
     * its Kryo codec for calls that name none, and creates it with every client; the provider
     * names a codec on every call, so the fallback is one that needs no library (and Kryo need not
     * be on the class path). The provider stores bytes only, never Redisson objects, so Redisson's
     * reference support is off: with it on, every argument and reply is looked up as a possible
     * live-object reference, which cost 13% of the client's CPU on batched reads.
     */
    private static ConnectionSpec forTheProvider(ConnectionSpec connection) {
        return new ConnectionSpec(connection.identity(), () -> {
            Config config = connection.config().get();
            if (config.getCodec() == null) {
                config.setCodec(ByteArrayCodec.INSTANCE);
            }
            config.setReferenceEnabled(false);
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
        values.putAll(fromProperties(properties));
        try {
            return ProviderSettings.from(values);
        } catch (IllegalArgumentException e) {
            throw new CacheException("invalid provider setting for CacheManager " + managerName + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> fromProperties(Properties properties) {
        Map<String, String> values = new HashMap<>();
        if (properties != null) {
            for (String key : ProviderSettings.KEYS) {
                String value = properties.getProperty(key);
                if (value != null) {
                    values.put(key, value);
                }
            }
        }
        return values;
    }

    /**
     * The URL the default manager uses: env REDIS_URL, else system property redis.url, else the
     * {@link #FALLBACK_URL} of the Properties (which Spring Boot's auto-configuration sets from
     * {@code spring.data.redis.*}), else localhost.
     */
    static URI defaultRedisUrl(Function<String, String> environment, Properties properties) {
        String url = environment.apply(REDIS_URL_ENV);
        String source = "REDIS_URL";
        if (url == null || url.isBlank()) {
            url = System.getProperty(REDIS_URL_PROPERTY);
            source = "the system property " + REDIS_URL_PROPERTY;
        }
        if ((url == null || url.isBlank()) && properties != null) {
            url = properties.getProperty(FALLBACK_URL);
            source = "the property " + FALLBACK_URL;
        }
        if (url == null || url.isBlank()) {
            url = FALLBACK_REDIS_URL;
        }
        try {
            return URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new CacheException(source + " is not a valid URI; give redis://host:port or rediss://host:port", e);
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

    /**
     * The provider settings among the system properties ({@code jcache.redis.<key>}); one of that
     * prefix that names no setting is refused, like an unknown query parameter.
     */
    private static Map<String, String> systemPropertyDefaults() {
        Map<String, String> values = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (!name.startsWith(ProviderSettings.SYSTEM_PROPERTY_PREFIX)) {
                continue;
            }
            String key = name.substring(ProviderSettings.SYSTEM_PROPERTY_PREFIX.length());
            if (!ProviderSettings.KEYS.contains(key)) {
                throw new CacheException("unknown provider setting in the system property '" + name + "'; known settings: "
                        + ProviderSettings.KEYS);
            }
            values.put(key, System.getProperty(name));
        }
        return values;
    }
}
