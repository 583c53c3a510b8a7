package io.github.jcacheredis.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reads of a few hot keys: this provider with a near cache, without one, and Redisson's JCache.
 * Run by {@link NearCacheMeasurement} at 1 and 16 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class NearCacheBenchmark {

    /** How many keys are hot. */
    static final int HOT_KEYS = 16;

    @Param({Target.JCACHE_REDIS_NEAR, Target.JCACHE_REDIS, Target.REDISSON_JCACHE})
    public String target;

    private LeasedTarget leased;
    private Target store;

    @Setup(Level.Trial)
    public void open() {
        leased = LeasedTarget.open(target);
        store = leased.target();
        Dataset.load(store, HOT_KEYS, false);
    }

    @TearDown(Level.Trial)
    public void close() {
        leased.close();
    }

    @Benchmark
    public Payload hotGet(Picks picks) {
        return store.get(Dataset.key(picks.random.nextInt(HOT_KEYS)));
    }

    /** A thread's random choices. */
    @State(Scope.Thread)
    public static class Picks {
        final SplittableRandom random = new SplittableRandom();
    }
}
