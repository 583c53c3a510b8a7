package io.github.jcacheredis.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * clear() and a full iteration of a large cache, for each target: how long each takes, and how
 * much client heap it keeps alive ({@link HeapWatch}). Each size is loaded afresh (putAll of 1,000
 * entries at a time), iterated, then cleared; two sizes a factor apart show whether time grows
 * linearly and heap stays flat. One pass at these sizes takes seconds to minutes, so this is a
 * plain timed pass after a small warm-up pass, not a JMH benchmark; run it in a JVM of its own
 * with a fixed heap and a small young generation, so that collections run during each operation
 * ({@code benchmarks/run large} uses {@code -Xms1g -Xmx1g -Xmn64m}).
 */
final class LargeCacheMeasurement {

    static final String REPORT_FILE = "large.md";

    private static final int WARM_UP_ENTRIES = 20_000;

    private LargeCacheMeasurement() {
    }

    static void run(String[] arguments) throws Exception {
        Args args = Args.parse(arguments, Set.of("--out", "--entries", "--targets"));
        Path out = Output.directory(args, "large");
        List<Integer> sizes = args.ints("--entries", "100000,1000000");
        List<String> targets = args.list("--targets",
                String.join(",", Target.JCACHE_REDIS, Target.REDISSON_JCACHE, Target.REDISSON_RAW));
        List<Pass> passes = new ArrayList<>();
        String machine;
        try (RedisEndpoint.Lease redis = RedisEndpoint.acquire()) {
            machine = Machine.describe(redis.endpoint());
            Files.writeString(out.resolve(Report.MACHINE_FILE), machine);
            for (String target : targets) {
                measure(target, WARM_UP_ENTRIES, redis.endpoint());
            }
            for (int size : sizes) {
                for (String target : targets) {
                    Pass pass = measure(target, size, redis.endpoint());
                    System.out.println(pass.row());
                    passes.add(pass);
                }
            }
        }
        Path report = out.resolve(REPORT_FILE);
        Files.writeString(report, markdown(passes, machine));
        System.out.println("results: " + report);
    }

    private static Pass measure(String name, int entries, RedisEndpoint redis) {
        try (Target target = Target.open(name, redis)) {
            long start = System.nanoTime();
            Dataset.load(target, entries, false);
            long load = System.nanoTime() - start;

            HeapWatch watch = HeapWatch.start();
            start = System.nanoTime();
            long seen = target.iterate();
            long iterate = System.nanoTime() - start;
            HeapWatch.Result iterateHeap = watch.stop();
            if (seen != entries) {
                throw new IllegalStateException(name + " iterated over " + seen + " entries of " + entries);
            }

            watch = HeapWatch.start();
            start = System.nanoTime();
            target.clear();
            long clear = System.nanoTime() - start;
            HeapWatch.Result clearHeap = watch.stop();
            long left = target.iterate();
            if (left != 0) {
                throw new IllegalStateException(name + " still has " + left + " entries after clear()");
            }
            return new Pass(name, entries, load, iterate, iterateHeap, clear, clearHeap);
        }
    }

    static String markdown(List<Pass> passes, String machine) {
        StringBuilder md = new StringBuilder("# Large cache: iteration and clear()\n\n");
        md.append("```text\n").append(machine.strip()).append("\nmax heap: ")
                .append(mb(Runtime.getRuntime().maxMemory())).append(" MB\n```\n\n");
        md.append("Each row: the cache loaded with that many entries (putAll, 1,000 at a time), a full iteration "
                + "(each value read and decoded), then clear(). µs/entry: time divided by entries, flat when time "
                + "grows linearly. live MB: the most client heap in use after a garbage collection during the "
                + "operation, above what was in use before it, i.e. what the operation kept alive (GCs: how many "
                + "collections ran; – when none did). alloc MB: allocated meanwhile by all threads, garbage "
                + "included.\n\n");
        md.append("| target | entries | load s | iterate s | iterate µs/entry | iterate live MB (GCs) | iterate alloc MB "
                + "| clear s | clear µs/entry | clear live MB (GCs) | clear alloc MB |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        passes.forEach(pass -> md.append(pass.row()).append('\n'));
        return md.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,.0f", bytes / 1048576.0);
    }

    record Pass(String target, int entries, long loadNanos, long iterateNanos, HeapWatch.Result iterateHeap,
                long clearNanos, HeapWatch.Result clearHeap) {

        String row() {
            return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %s | %s | %.2f | %.2f | %s | %s |",
                    target, entries, loadNanos / 1e9, iterateNanos / 1e9, iterateNanos / 1e3 / entries,
                    live(iterateHeap), mb(iterateHeap.allocatedBytes()), clearNanos / 1e9, clearNanos / 1e3 / entries,
                    live(clearHeap), mb(clearHeap.allocatedBytes()));
        }

        private static String live(HeapWatch.Result heap) {
            return heap.collections() == 0 ? "– (0)" : mb(heap.growthBytes()) + " (" + heap.collections() + ")";
        }
    }
}
