package io.github.jcacheredis.micrometer;

import io.github.jcacheredis.management.MBeans;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.lang.management.ManagementFactory;
import javax.cache.Cache;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Micrometer meters for a cache of this provider: {@code cache.gets} (tag {@code result=hit|miss}),
 * {@code cache.puts}, {@code cache.evictions} and {@code cache.removals}, read from the cache's
 * statistics MXBean. Micrometer's own {@code JCacheMetrics} finds that MXBean only where the
 * manager URI needs no more escaping than {@code :} (the default URI does); for
 * {@code redis://host:6379?namespace=shop} it builds an invalid name and refuses the cache. This
 * binder looks the MXBean up under the name the provider registers it, whatever the URI.
 *
 * <p>The counts are those of the cache's statistics, so enable them
 * ({@code MutableConfiguration.setStatisticsEnabled(true)} or
 * {@code CacheManager.enableStatistics}); while they are off the meters read zero.
 */
public final class RedisCacheMetrics extends CacheMeterBinder<Cache<?, ?>> {

    private final ObjectName statistics;

    public RedisCacheMetrics(Cache<?, ?> cache, Iterable<Tag> tags) {
        super(cache, cache.getName(), tags);
        this.statistics = MBeans.name(MBeans.Kind.STATISTICS, cache.getCacheManager().getURI(), cache.getName());
    }

    /** Binds the meters of {@code cache} to {@code registry}; returns the cache unchanged. */
    public static <C extends Cache<?, ?>> C monitor(MeterRegistry registry, C cache, String... tags) {
        new RedisCacheMetrics(cache, Tags.of(tags)).bindTo(registry);
        return cache;
    }

    @Override
    protected Long size() {
        return null; // JCache statistics have no size, and counting a Redis keyspace is not cheap
    }

    @Override
    protected long hitCount() {
        return statistic("CacheHits");
    }

    @Override
    protected Long missCount() {
        return statistic("CacheMisses");
    }

    @Override
    protected Long evictionCount() {
        return statistic("CacheEvictions");
    }

    @Override
    protected long putCount() {
        return statistic("CachePuts");
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        FunctionCounter.builder("cache.removals", this, metrics -> metrics.statistic("CacheRemovals"))
                .tags(getTagsWithCacheName())
                .description("Cache removals")
                .register(registry);
    }

    private long statistic(String attribute) {
        try {
            return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(statistics, attribute);
        } catch (InstanceNotFoundException statisticsOff) {
            return 0;
        } catch (JMException e) {
            throw new IllegalStateException("cannot read " + attribute + " of " + statistics, e);
        }
    }
}
