package io.github.jcacheredis.spring.actuator;

import io.github.jcacheredis.RedisCacheManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the component {@code jcacheRedis} to Actuator's {@code /actuator/health}: the Redis of the
 * application's JCache managers of this provider (see {@link RedisCacheHealthIndicator}). Active
 * with Spring Boot's health support on the class path; {@code management.health.jcache-redis.enabled=false}
 * turns it off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("jcache-redis")
public class RedisCacheHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "jcacheRedisHealthIndicator")
    RedisCacheHealthIndicator jcacheRedisHealthIndicator(ObjectProvider<javax.cache.CacheManager> managers) {
        return new RedisCacheHealthIndicator(() -> managers.orderedStream()
                .filter(RedisCacheManager.class::isInstance).map(RedisCacheManager.class::cast).toList());
    }
}
