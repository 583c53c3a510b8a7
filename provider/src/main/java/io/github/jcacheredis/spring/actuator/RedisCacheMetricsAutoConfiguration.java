package io.github.jcacheredis.spring.actuator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider;
import org.springframework.context.annotation.Bean;

/**
 * Cache metrics for Actuator ({@code /actuator/metrics/cache.gets} and the like) that find this
 * provider's statistics whatever the manager's URI: it replaces Spring Boot's JCache binder
 * provider with one that handles this provider's caches itself and leaves others to Micrometer.
 * Active with Micrometer and Spring Boot's cache metrics on the class path, unless the
 * application defines its own {@link JCacheCacheMeterBinderProvider}.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
        "org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider",
        "org.springframework.cache.jcache.JCacheCache"})
public class RedisCacheMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(JCacheCacheMeterBinderProvider.class)
    JCacheCacheMeterBinderProvider jcacheRedisMeterBinderProvider() {
        return new RedisCacheMeterBinderProvider();
    }
}
