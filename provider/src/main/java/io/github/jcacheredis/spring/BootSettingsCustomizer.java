package io.github.jcacheredis.spring;

import io.github.jcacheredis.config.ManagerConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer;

/**
 * Passes the application's Spring Boot settings to the CacheManager Boot creates, without
 * overriding the provider's own sources: {@code jcache-redis.*} properties apply where the
 * manager's URI (REDIS_URL's query, a config file's {@code jcache:} block), system properties
 * {@code jcache.redis.*} and earlier customizers give no value; the Redis that
 * {@code spring.data.redis.*} names is the default manager's Redis when neither REDIS_URL nor
 * the system property redis.url names one (see {@link ManagerConfig#FALLBACK_URL}).
 */
final class BootSettingsCustomizer implements JCachePropertiesCustomizer {

    private static final Logger log = LoggerFactory.getLogger(BootSettingsCustomizer.class);

    private final JCacheRedisProperties settings;
    private final Optional<String> springDataRedisUrl;
    private final Supplier<URI> managerUri;
    private final ClassLoader classLoader;

    BootSettingsCustomizer(JCacheRedisProperties settings, Optional<String> springDataRedisUrl, Supplier<URI> managerUri,
                           ClassLoader classLoader) {
        this.settings = settings;
        this.springDataRedisUrl = springDataRedisUrl;
        this.managerUri = managerUri;
        this.classLoader = classLoader;
    }

    @Override
    public void customize(Properties properties) {
        if (properties.getProperty(ManagerConfig.FALLBACK_URL) == null) {
            springDataRedisUrl.ifPresent(url -> properties.setProperty(ManagerConfig.FALLBACK_URL, url));
        }
        Map<String, String> given = ManagerConfig.givenSettings(managerUri.get(), properties, classLoader);
        settings.asSettings().forEach((key, value) -> {
            if (given.containsKey(key)) {
                log.debug("jcache-redis: jcache-redis.{} is left out, the CacheManager's own sources set {}", key, key);
            } else {
                properties.setProperty(key, value);
            }
        });
    }
}
