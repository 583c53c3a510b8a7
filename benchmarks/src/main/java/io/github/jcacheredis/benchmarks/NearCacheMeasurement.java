package io.github.jcacheredis.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The near cache: hot-key reads ({@link NearCacheBenchmark}, JMH) with a near cache, without one,
 * and with Redisson's JCache, at 1 and 16 threads; then the invalidation delay, the time from a
 * write on one instance returning to another instance, which had the old value in its near cache,
 * reading the new one. Writes {@code near.md}.
 */
final class NearCacheMeasurement {

    static final String REPORT_FILE = "near.md";
    private static final int DELAY_ROUNDS = 2_000;

    private NearCacheMeasurement() {
    }

    static void run(String[] arguments) throws Exception {
        Args args = Args.parse(arguments, Set.of("--out", "--threads"));
        Path out = Output.directory(args, "near");
        List<Integer> threads = args.ints("--threads", "1,16");
        CommandLineOptions jmh = new CommandLineOptions(args.rest());
        Map<Integer, Map<String, Double>> opsPerSecond = new LinkedHashMap<>();
        long[] delays;
        String machine;
        try (RedisEndpoint.Lease redis = RedisEndpoint.acquire()) {
            machine = Machine.describe(redis.endpoint());
            Files.writeString(out.resolve(Report.MACHINE_FILE), machine);
            List<String> forkArgs = new ArrayList<>(jmh.getJvmArgsAppend().orElse(List.of()));
            if (redis.startedServer()) {
                String url = redis.endpoint().url().toString();
                System.setProperty(RedisEndpoint.URL_PROPERTY, url);
                forkArgs.add("-D" + RedisEndpoint.URL_PROPERTY + "=" + url);
            }
            for (int count : threads) {
                Collection<RunResult> results = new Runner(new OptionsBuilder().parent(jmh)
                        .include(NearCacheBenchmark.class.getName() + "\\.")
                        .threads(count)
                        .jvmArgsAppend(forkArgs.toArray(String[]::new))
                        .build()).run();
                Map<String, Double> byTarget = new LinkedHashMap<>();
                for (RunResult result : results) {
                    byTarget.put(result.getParams().getParam("target"), result.getPrimaryResult().getScore());
                }
                opsPerSecond.put(count, byTarget);
            }
            delays = invalidationDelays(redis.endpoint());
        }
        Path report = out.resolve(REPORT_FILE);
        Files.writeString(report, markdown(opsPerSecond, delays, machine));
        System.out.println("results: " + report);
    }

    /** Nanoseconds from a write on instance A returning to instance B reading the new value. */
    static long[] invalidationDelays(RedisEndpoint redis) {
        try (Target a = Target.open(Target.JCACHE_REDIS_NEAR, redis);
             Target b = JCacheTarget.openWithNearCache(new io.github.jcacheredis.RedisCachingProvider(),
                     redis.jcacheRedisUri())) {
            long[] delays = new long[DELAY_ROUNDS];
            for (int round = -200; round < DELAY_ROUNDS; round++) { // the first 200 warm up
                String key = Dataset.key(Math.floorMod(round, NearCacheBenchmark.HOT_KEYS));
                Payload next = new Payload(round + 1_000L, "round " + round);
                b.get(key); // B holds the current value locally
                a.put(key, next);
                long written = System.nanoTime();
                while (!next.equals(b.get(key))) {
                    Thread.onSpinWait();
                }
                if (round >= 0) {
                    delays[round] = System.nanoTime() - written;
                }
            }
            Arrays.sort(delays);
            return delays;
        }
    }

    static String markdown(Map<Integer, Map<String, Double>> opsPerSecond, long[] delays, String machine) {
        StringBuilder md = new StringBuilder("# Near cache\n\n");
        md.append("Hot-key `get` (").append(NearCacheBenchmark.HOT_KEYS).append(" keys, 100-byte JSON values), ops/s:\n\n");
        md.append("| threads | ").append(Target.JCACHE_REDIS_NEAR).append(" | ").append(Target.JCACHE_REDIS).append(" | ")
                .append(Target.REDISSON_JCACHE).append(" | near / without | near / Redisson JCache |\n");
        md.append("|--:|--:|--:|--:|--:|--:|\n");
        opsPerSecond.forEach((threads, byTarget) -> {
            double near = byTarget.getOrDefault(Target.JCACHE_REDIS_NEAR, Double.NaN);
            double without = byTarget.getOrDefault(Target.JCACHE_REDIS, Double.NaN);
            double redisson = byTarget.getOrDefault(Target.REDISSON_JCACHE, Double.NaN);
            md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %.1f | %.1f |%n", threads, near, without,
                    redisson, near / without, near / redisson));
        });
        md.append("\nInvalidation delay: from `put` on instance A returning to instance B, which held the old value")
                .append(" in its near cache, reading the new one (its invalidation arrives, then one read from Redis),")
                .append(" over ").append(delays.length).append(" writes, µs:\n\n");
        md.append("| p50 | p90 | p99 | p99.9 | max |\n|--:|--:|--:|--:|--:|\n");
        md.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.0f |%n", micros(delays, 0.50),
                micros(delays, 0.90), micros(delays, 0.99), micros(delays, 0.999), delays[delays.length - 1] / 1_000.0));
        md.append("\n## Machine\n\n```\n").append(machine).append("```\n");
        return md.toString();
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1_000.0;
    }
}
