package io.github.jcacheredis.spring;

import io.github.jcacheredis.config.ManagerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.autoconfigure.CacheProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

/**
 * Spring Boot auto-configuration for {@code spring.cache.type=jcache} on this provider. It passes
 * the application's settings to the CacheManager Boot creates: the Redis of
 * {@code spring.data.redis.*} and the {@code jcache-redis.*} properties, below the provider's own
 * sources (see {@link BootSettingsCustomizer}). The caches Spring Boot creates from
 * {@code spring.cache.cache-names} declare no types, so the provider would refuse the application's
 * own value classes unless their packages are in {@code allowed-packages}; it contributes the
 * application's packages (where its {@code @SpringBootApplication} class is, as
 * {@link AutoConfigurationPackages} records them) unless {@code allowed-packages} is configured
 * already; see {@link ApplicationPackagesCustomizer}.
 *
 * <p>Only Spring Boot loads this class, from
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}; nothing
 * else in the provider refers to this package, so applications without Spring never load it. It
 * needs Spring Boot 4 ({@code spring-boot-cache}) and stays inactive on older versions, and when
 * {@code spring.cache.jcache.provider} names another provider.
 */
@AutoConfiguration
@EnableConfigurationProperties(JCacheRedisProperties.class)
@ConditionalOnClass(name = RedisJCacheAutoConfiguration.PROPERTIES_CUSTOMIZER)
@ConditionalOnProperty(name = "spring.cache.jcache.provider", havingValue = RedisJCacheAutoConfiguration.PROVIDER,
        matchIfMissing = true)
public class RedisJCacheAutoConfiguration {

    /** The Spring Boot 4 callback that sets the Properties Boot passes to {@code getCacheManager}. */
    static final String PROPERTIES_CUSTOMIZER = "org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer";

    /** {@code io.github.jcacheredis.RedisCachingProvider}, as {@code spring.cache.jcache.provider} names it. */
    static final String PROVIDER = "io.github.jcacheredis.RedisCachingProvider";

    /** First, so that customizers of the application's own see (and may change) what it sets. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    BootSettingsCustomizer jcacheRedisBootSettings(JCacheRedisProperties settings, Environment environment,
                                                   ConfigurableListableBeanFactory beanFactory,
                                                   ObjectProvider<CacheProperties> cacheProperties) {
        return new BootSettingsCustomizer(settings, SpringDataRedisUrl.from(environment),
                () -> managerUri(cacheProperties.getIfAvailable()), beanFactory.getBeanClassLoader());
    }

    /** Last, so that allowed-packages from any other source wins. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    ApplicationPackagesCustomizer jcacheRedisApplicationPackages(ConfigurableListableBeanFactory beanFactory,
                                                                 ObjectProvider<CacheProperties> cacheProperties) {
        List<String> packages = AutoConfigurationPackages.has(beanFactory)
                ? AutoConfigurationPackages.get(beanFactory) : List.of();
        return new ApplicationPackagesCustomizer(packages, () -> managerUri(cacheProperties.getIfAvailable()),
                beanFactory.getBeanClassLoader());
    }

    /** The URI Spring Boot asks the provider for: the resolved {@code spring.cache.jcache.config}, else the default. */
    private static URI managerUri(CacheProperties properties) {
        if (properties == null) {
            return ManagerConfig.DEFAULT_URI;
        }
        Resource config = properties.resolveConfigLocation(properties.getJcache().getConfig());
        if (config == null) {
            return ManagerConfig.DEFAULT_URI;
        }
        try {
            return config.getURI();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve spring.cache.jcache.config " + config, e);
        }
    }
}
