package io.github.jcacheredis.benchmarks;

import io.github.jcacheredis.store.BatchSizes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The single-entry and bulk operations, each on a cache of {@link Dataset#KEYS} entries of
 * {@link Payload#JSON_BYTES}-byte JSON values, against each {@link Target} in turn. Every thread
 * picks its keys at random; all keys are present, so every read is a hit and every write an
 * update. The suite ({@link Suite}) runs this at 1 and 16 threads, for throughput and for the
 * latency distribution. For a target that counts its batches (this project's provider), each trial
 * appends the batch sizes of its measurement iterations to the file named by the system property
 * {@value BatchLog#PROPERTY}, when set ({@link BatchLog}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
public class OperationsBenchmark {

    @Param({Target.JCACHE_REDIS, Target.REDISSON_JCACHE, Target.REDISSON_RAW})
    public String target;

    private LeasedTarget leased;
    private Target store;
    /** The target's batch sizes when the first measurement iteration started; null until then. */
    private BatchSizes.Snapshot measuredFrom;

    @Setup(Level.Trial)
    public void open() {
        leased = LeasedTarget.open(target);
        store = leased.target();
        Dataset.load(store, Dataset.KEYS, true);
        Payload first = store.get(Dataset.key(0));
        if (!Dataset.value(0).equals(first)) {
            throw new IllegalStateException(target + " returned " + first + " for " + Dataset.key(0));
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        if (measuredFrom == null && iteration.getType() == IterationType.MEASUREMENT) {
            measuredFrom = store.batchSizes().orElse(null);
        }
    }

    @TearDown(Level.Trial)
    public void close(BenchmarkParams params) {
        try {
            recordBatchSizes(params);
        } finally {
            leased.close();
        }
    }

    /** Appends the batch sizes of the measurement iterations (they run back to back) to the log. */
    private void recordBatchSizes(BenchmarkParams params) {
        String file = System.getProperty(BatchLog.PROPERTY);
        if (file == null || file.isBlank() || measuredFrom == null) {
            return;
        }
        BatchSizes.Snapshot measured = store.batchSizes().orElseThrow().since(measuredFrom);
        String benchmark = params.getBenchmark();
        BatchLog.Row row = new BatchLog.Row(benchmark.substring(benchmark.lastIndexOf('.') + 1), target,
                params.getThreads(), params.getMode().shortLabel(), measured.commands(), measured.counts());
        try {
            BatchLog.append(Path.of(file), row);
        } catch (IOException e) {
            // the benchmark's result matters more than its batch sizes
            System.err.println("cannot append the batch sizes to " + file + ": " + e);
        }
    }

    @Benchmark
    public Payload get(Picks picks) {
        return store.get(picks.key());
    }

    @Benchmark
    public void put(Picks picks) {
        int index = picks.index();
        store.put(Dataset.key(index), Dataset.value(index));
    }

    /** 90% get, 10% put. */
    @Benchmark
    public Payload mixed(Picks picks) {
        int index = picks.index();
        if (picks.oneInTen()) {
            store.put(Dataset.key(index), Dataset.value(index));
            return null;
        }
        return store.get(Dataset.key(index));
    }

    @Benchmark
    public Map<String, Payload> getAll(Picks picks) {
        return store.getAll(picks.keySet());
    }

    @Benchmark
    public void putAll(Picks picks) {
        store.putAll(picks.batch());
    }

    /** get from a cache with {@code AccessedExpiryPolicy} (10 minutes): each hit resets the TTL. */
    @Benchmark
    public Payload getAccessExpiry(Picks picks) {
        return store.getFromExpiring(picks.key());
    }

    /** invoke with an entry processor that increments the value's counter. */
    @Benchmark
    public long invoke(Picks picks) {
        return store.increment(picks.key());
    }

    /** A thread's random choices; the key sets and batches are built before measuring. */
    @State(Scope.Thread)
    public static class Picks {

        private static final int PREBUILT = 64;

        private final SplittableRandom random = new SplittableRandom();
        private final List<Set<String>> keySets = new ArrayList<>(PREBUILT);
        private final List<Map<String, Payload>> batches = new ArrayList<>(PREBUILT);

        @Setup(Level.Trial)
        public void build() {
            for (int i = 0; i < PREBUILT; i++) {
                Set<String> keys = new HashSet<>(Dataset.BATCH * 2);
                while (keys.size() < Dataset.BATCH) {
                    keys.add(key());
                }
                keySets.add(keys);
                int from = random.nextInt(Dataset.KEYS - Dataset.BATCH);
                batches.add(Dataset.entries(from, from + Dataset.BATCH));
            }
        }

        int index() {
            return random.nextInt(Dataset.KEYS);
        }

        String key() {
            return Dataset.key(index());
        }

        boolean oneInTen() {
            return random.nextInt(10) == 0;
        }

        Set<String> keySet() {
            return keySets.get(random.nextInt(PREBUILT));
        }

        Map<String, Payload> batch() {
            return batches.get(random.nextInt(PREBUILT));
        }
    }
}
