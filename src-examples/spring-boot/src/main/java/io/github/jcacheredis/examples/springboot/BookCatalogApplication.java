package io.github.jcacheredis.examples.springboot;

import io.github.jcacheredis.testsupport.LocalRedis;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot web service whose {@code @Cacheable} methods use Redis through this JCache
 * provider, with Actuator. Its whole cache setup is {@code spring.cache.type=jcache} and the cache
 * names in application.properties, plus REDIS_URL in the environment (or Spring Data Redis's
 * {@code spring.data.redis.*}).
 */
@SpringBootApplication
@EnableCaching
public class BookCatalogApplication {

    /**
     * Optional: the configuration Spring Boot gives each cache it creates. Without it entries
     * never expire; with it they live ten minutes in Redis, and the caches keep the statistics
     * Actuator's cache metrics report.
     */
    @Bean
    MutableConfiguration<Object, Object> cacheConfiguration() {
        return new MutableConfiguration<>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
                .setStatisticsEnabled(true);
    }

    public static void main(String[] args) {
        try (LocalRedis redis = LocalRedis.ensure(System.out);
             ConfigurableApplicationContext context = SpringApplication.run(BookCatalogApplication.class, args)) {
            new CatalogTour(context.getBean(BookService.class), context.getBean(BookRepository.class), System.out)
                    .run(redis, context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
        }
    }
}
