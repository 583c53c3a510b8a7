package io.github.jcacheredis.spring.actuator;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.micrometer.RedisCacheMetrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.cache.metrics.JCacheCacheMeterBinderProvider;
import org.springframework.cache.jcache.JCacheCache;

/**
 * Spring Boot's JCache meter binder provider, with {@link RedisCacheMetrics} for the caches of
 * this provider (found whatever their manager's URI) and Micrometer's own binder for any other.
 */
final class RedisCacheMeterBinderProvider extends JCacheCacheMeterBinderProvider {

    @Override
    public MeterBinder getMeterBinder(JCacheCache cache, Iterable<Tag> tags) {
        javax.cache.Cache<Object, Object> nativeCache = cache.getNativeCache();
        if (nativeCache.getCacheManager() instanceof RedisCacheManager) {
            return new RedisCacheMetrics(nativeCache, tags);
        }
        return super.getMeterBinder(cache, tags);
    }
}
