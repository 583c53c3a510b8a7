package io.github.jcacheredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.codec.CodecKind;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

class ManagerConfigUnitTests {

    private static final ClassLoader LOADER = ManagerConfigUnitTests.class.getClassLoader();

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty("redis.url");
        System.clearProperty("jcache.redis.namespace");
        System.clearProperty("jcache.redis.namepsace");
    }

    private static ManagerConfig resolve(URI uri, Properties properties, Map<String, String> env) {
        return ManagerConfig.resolve(uri, properties, LOADER, env::get);
    }

    private static SingleServerConfig server(ManagerConfig config) {
        return config.connection().config().get().useSingleServer();
    }

    @Test
    void defaultUriUsesRedisUrlThenSystemPropertyThenLocalhost() {
        System.setProperty("redis.url", "redis://from-property:6380");
        ManagerConfig fromEnv = resolve(ManagerConfig.DEFAULT_URI, null, Map.of("REDIS_URL", "redis://from-env:6381/2"));
        assertEquals("redis://from-env:6381", server(fromEnv).getAddress());
        assertEquals(2, server(fromEnv).getDatabase());

        ManagerConfig fromProperty = resolve(ManagerConfig.DEFAULT_URI, null, Map.of());
        assertEquals("redis://from-property:6380", server(fromProperty).getAddress());

        System.clearProperty("redis.url");
        ManagerConfig fallback = resolve(ManagerConfig.DEFAULT_URI, null, Map.of());
        assertEquals("redis://localhost:6379", server(fallback).getAddress());
        assertEquals("jcache", fallback.settings().namespace());
    }

    @Test
    void redisUriCarriesCredentialsDatabaseAndProviderKeys() {
        ManagerConfig config = resolve(URI.create("rediss://app:s%40cret@cache.internal:6390/3?namespace=myapp&codec=java"),
                null, Map.of());
        SingleServerConfig server = server(config);
        assertEquals("rediss://cache.internal:6390", server.getAddress());
        assertEquals(3, server.getDatabase());
        org.redisson.config.Config redisson = config.connection().config().get();
        assertEquals("app", redisson.getUsername());
        assertEquals("s@cret", redisson.getPassword());
        assertEquals("myapp", config.settings().namespace());
        assertEquals(CodecKind.JAVA, config.settings().codec());
        assertFalse(config.connection().identity().contains("s@cret"), config.connection().identity());
    }

    @Test
    void propertiesOverrideTheUriAndSystemPropertiesAreTheFallback() {
        System.setProperty("jcache.redis.namespace", "from-system");
        assertEquals("from-system", resolve(URI.create("redis://h:1"), null, Map.of()).settings().namespace());
        assertEquals("from-uri", resolve(URI.create("redis://h:1?namespace=from-uri"), null, Map.of()).settings().namespace());
        Properties properties = new Properties();
        properties.setProperty("namespace", "from-properties");
        assertEquals("from-properties",
                resolve(URI.create("redis://h:1?namespace=from-uri"), properties, Map.of()).settings().namespace());
    }

    @Test
    void configFileGivesRedissonConfigAndProviderBlock() {
        ManagerConfig config = resolve(URI.create("classpath:config/cluster.yaml"), null, Map.of());
        assertEquals("shop", config.settings().namespace());
        assertEquals(CodecKind.JAVA, config.settings().codec());
        assertEquals(List.of("com.acme.model", "org.hibernate"), config.settings().allowedPackages());
        Config redisson = config.connection().config().get();
        assertTrue(redisson.isClusterConfig());
        assertEquals(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000"),
                redisson.useClusterServers().getNodeAddresses());
        assertEquals(2000, redisson.useClusterServers().getScanInterval());
    }

    @Test
    void clientsTheProviderCreatesLookUpNoRedissonReferences() {
        for (String uri : List.of("redis://h:1", "classpath:config/cluster.yaml")) {
            Config redisson = resolve(URI.create(uri), null, Map.of()).connection().config().get();
            assertFalse(redisson.isReferenceEnabled(), uri + ": the provider stores bytes, never Redisson objects");
            assertEquals(ByteArrayCodec.INSTANCE, redisson.getCodec(), uri);
        }
    }

    @Test
    void mistakesAreReportedWithoutSecrets() {
        CacheException unknownKey = assertThrows(CacheException.class,
                () -> resolve(URI.create("redis://u:topsecret@h:1?namepsace=x"), null, Map.of()));
        assertTrue(unknownKey.getMessage().contains("namepsace"), unknownKey.getMessage());

        CacheException badCodec = assertThrows(CacheException.class,
                () -> resolve(URI.create("redis://u:topsecret@h:1?codec=xml"), null, Map.of()));
        assertFalse(badCodec.getMessage().contains("topsecret"), badCodec.getMessage());

        CacheException scheme = assertThrows(CacheException.class,
                () -> resolve(URI.create("memcached://h:1"), null, Map.of()));
        assertTrue(scheme.getMessage().contains("redis://"), scheme.getMessage());

        assertThrows(CacheException.class, () -> resolve(URI.create("classpath:config/missing.yaml"), null, Map.of()));
    }

    /**
     * A misspelt {@code jcache.redis.*} system property is refused like a misspelt query parameter,
     * whatever the URI, also for a manager around an application's own client.
     */
    @Test
    void anUnknownProviderSystemPropertyIsRefused() {
        System.setProperty("jcache.redis.namepsace", "x");
        for (String uri : List.of("redis://h:1", "classpath:config/cluster.yaml", "memory:m")) {
            CacheException unknown = assertThrows(CacheException.class, () -> resolve(URI.create(uri), null, Map.of()), uri);
            assertTrue(unknown.getMessage().contains("jcache.redis.namepsace"), uri + ": " + unknown.getMessage());
        }
        CacheException aroundClient = assertThrows(CacheException.class, () -> ManagerConfig.settingsForClient(null));
        assertTrue(aroundClient.getMessage().contains("jcache.redis.namepsace"), aroundClient.getMessage());
    }

    /**
     * The Properties given to getCacheManager may carry other keys (frameworks pass their own):
     * they are ignored, and the provider's keys among them still apply.
     */
    @Test
    void propertiesMayCarryKeysOfOthers() {
        Properties properties = new Properties();
        properties.setProperty("hibernate.cache.region_prefix", "app");
        properties.setProperty("namespace", "mine");
        assertEquals("mine", resolve(URI.create("redis://h:1"), properties, Map.of()).settings().namespace());
    }

    @Test
    void batchingIsOnByDefaultAndItsSettingsAreCheckedWhereTheyAreGiven() {
        ProviderSettings defaults = resolve(URI.create("redis://h:1"), null, Map.of()).settings();
        assertTrue(defaults.batching());
        assertEquals(ProviderSettings.DEFAULT_BATCH_MAX, defaults.batchMax());

        ProviderSettings off = resolve(URI.create("redis://h:1?batching=false&batch-max=16"), null, Map.of()).settings();
        assertFalse(off.batching());
        assertEquals(16, off.batchMax());

        CacheException notABoolean = assertThrows(CacheException.class,
                () -> resolve(URI.create("redis://h:1?batching=off"), null, Map.of()));
        assertTrue(notABoolean.getMessage().contains("batching must be true or false, not 'off'"), notABoolean.getMessage());
        CacheException tooLarge = assertThrows(CacheException.class,
                () -> resolve(URI.create("redis://h:1?batch-max=100000"), null, Map.of()));
        assertTrue(tooLarge.getMessage().contains("batch-max must be between 1 and 4096"), tooLarge.getMessage());
        CacheException notANumber = assertThrows(CacheException.class,
                () -> resolve(URI.create("redis://h:1?batch-max=many"), null, Map.of()));
        assertTrue(notANumber.getMessage().contains("batch-max must be a whole number"), notANumber.getMessage());
    }
}
