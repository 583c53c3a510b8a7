package io.github.jcacheredis.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisBinary;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TlsCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** TLS and ACL users, against servers the test starts, and that no credential leaks anywhere. */
class TlsAndAclIntegrationTests {

    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    void connectsOverTlsTrustingTheGivenStore() {
        assumeTrue(TlsCertificates.available() && RedisBinary.isSystemBinary(),
                "needs openssl and a redis-server built with TLS");
        TlsCertificates certificates = TlsCertificates.generate();
        try (RedisServer redis = RedisServer.startTls(certificates)) {
            URI uri = URI.create(redis.uri() + "?ssl-truststore=" + certificates.truststore().toUri()
                    + "&ssl-truststore-password=" + TlsCertificates.TRUSTSTORE_PASSWORD + "&namespace=tls");
            try (CacheManager manager = newManager(uri)) {
                Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<String, String>());
                cache.put("k", "over TLS");
                assertEquals("over TLS", cache.get("k"));
                assertEquals("\"over TLS\"", redis.call("GET", "tls:c:k"));
                assertNearCacheSeesOutsideWrites(manager, () -> redis.call("SET", "tls:near:k", "\"v2\""));
            }
        }
    }

    @Test
    void connectsAsAnAclUserAndNeverShowsItsPassword() throws Exception {
        try (RedisServer redis = RedisServer.start("--user", "default", "off", "--user", "app", "on", ">" + SECRET,
                "~*", "&*", "+@all")) {
            String authority = "app:" + SECRET + "@" + redis.host() + ":" + redis.port();
            PrintStream originalErr = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                URI uri = URI.create("redis://" + authority + "?namespace=acl");
                try (CacheManager manager = newManager(uri)) {
                    Cache<String, String> cache = manager.createCache("c",
                            new MutableConfiguration<String, String>().setStatisticsEnabled(true).setManagementEnabled(true));
                    cache.put("k", "as app");
                    assertEquals("as app", cache.get("k"));
                    assertNoSecretInMBeans();
                    assertNoSecret(assertThrows(CacheException.class, () -> manager.createCache("c",
                            new MutableConfiguration<String, String>())));
                    assertNoSecret(assertThrows(IllegalArgumentException.class, () -> manager.unwrap(String.class)));
                    assertNearCacheSeesOutsideWrites(manager, () -> {
                        try (io.github.jcacheredis.testsupport.RespClient client = redis.client()) {
                            client.call("AUTH", "app", SECRET);
                            client.call("SET", "acl:near:k", "\"v2\"");
                        }
                    });
                    manager.close();
                    assertNoSecret(assertThrows(IllegalStateException.class, () -> manager.getCache("c")));
                }

                URI wrong = URI.create("redis://app:wrong-" + SECRET + "@" + redis.host() + ":" + redis.port());
                CacheException refused = assertThrows(CacheException.class, () -> newManager(wrong));
                assertNoSecret(refused);

                URI badSetting = URI.create("redis://" + authority + "?codec=xml");
                assertNoSecret(assertThrows(CacheException.class, () -> newManager(badSetting)));
            } finally {
                System.setErr(originalErr);
            }
            assertFalse(log.toString(StandardCharsets.UTF_8).contains(SECRET), "a log line holds the password");
        }
    }

    /** The near cache's own tracking connection authenticates and speaks TLS like the manager's. */
    private static void assertNearCacheSeesOutsideWrites(CacheManager manager, Runnable outsideWrite) {
        Cache<String, String> near = manager.createCache("near", new RedisCacheConfiguration<String, String>()
                .nearCache(100, null).setTypes(String.class, String.class));
        near.put("k", "v1");
        assertEquals("v1", near.get("k"));
        outsideWrite.run();
        io.github.jcacheredis.support.Await.until(() -> "v2".equals(near.get("k")));
    }

    private static CacheManager newManager(URI uri) {
        return new RedisCachingProvider().getCacheManager(uri, TlsAndAclIntegrationTests.class.getClassLoader(),
                new Properties());
    }

    private static void assertNoSecret(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(SECRET), "the password is in: " + t.getMessage());
        }
    }

    private static void assertNoSecretInMBeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("javax.cache:*"), null);
        assertFalse(names.isEmpty());
        for (ObjectName name : names) {
            assertFalse(name.toString().contains(SECRET), name.toString());
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                Object value = server.getAttribute(name, attribute.getName());
                assertFalse(String.valueOf(value).contains(SECRET), name + " " + attribute.getName());
            }
        }
    }
}
