package io.github.jcacheredis.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The statistics of one cache in this JVM, updated synchronously by each call (so they can be read
 * right after it). Times are kept in nanoseconds and reported in microseconds, as the MXBean says.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();
    private volatile boolean enabled;

    public CacheStatistics(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** A start time for {@link #recordGetTime} and friends; 0 when statistics are off. */
    public long start() {
        return enabled ? System.nanoTime() : 0;
    }

    public void hits(long count) {
        if (enabled && count > 0) {
            hits.add(count);
        }
    }

    public void misses(long count) {
        if (enabled && count > 0) {
            misses.add(count);
        }
    }

    public void puts(long count) {
        if (enabled && count > 0) {
            puts.add(count);
        }
    }

    public void removals(long count) {
        if (enabled && count > 0) {
            removals.add(count);
        }
    }

    public void recordGetTime(long start) {
        if (enabled && start != 0) {
            getNanos.add(System.nanoTime() - start);
        }
    }

    public void recordPutTime(long start) {
        if (enabled && start != 0) {
            putNanos.add(System.nanoTime() - start);
        }
    }

    public void recordRemoveTime(long start) {
        if (enabled && start != 0) {
            removeNanos.add(System.nanoTime() - start);
        }
    }

    @Override
    public void clear() {
        for (LongAdder adder : new LongAdder[] {hits, misses, puts, removals, evictions, getNanos, putNanos, removeNanos}) {
            adder.reset();
        }
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        long h = hits.sum();
        long total = h + misses.sum();
        return total == 0 ? 0 : (float) h / total * 100.0f;
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        long m = misses.sum();
        long total = m + hits.sum();
        return total == 0 ? 0 : (float) m / total * 100.0f;
    }

    @Override
    public long getCacheGets() {
        return hits.sum() + misses.sum();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    @Override
    public long getCacheEvictions() {
        return evictions.sum();
    }

    @Override
    public float getAverageGetTime() {
        return average(getNanos.sum(), getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return average(putNanos.sum(), getCachePuts());
    }

    @Override
    public float getAverageRemoveTime() {
        return average(removeNanos.sum(), getCacheRemovals());
    }

    private static float average(long nanos, long count) {
        return count == 0 ? 0 : (float) nanos / count / 1_000f;
    }
}
