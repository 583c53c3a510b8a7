package io.github.jcacheredis.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jcacheredis.store.BatchSizes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the JSON results of {@link Suite} into {@code results.md}: per workload and thread count,
 * each target's throughput, p50 and p99 latency, and the throughput ratios of this project's
 * provider to raw Redisson and to Redisson's JCache; then, where the suite wrote them, the server's
 * own ceiling ({@code server.tsv}, {@link ServerCeiling}) with this provider's get and put as a
 * fraction of it, and this provider's batch sizes ({@code batches.tsv}, {@link BatchLog}).
 */
final class Report {

    static final String MACHINE_FILE = "machine.txt";
    static final String REPORT_FILE = "results.md";
    static final String BATCHES_FILE = "batches.tsv";
    static final String SERVER_FILE = "server.tsv";

    private static final String OURS = Target.JCACHE_REDIS;
    private static final List<String> TARGETS = List.of(Target.JCACHE_REDIS, Target.REDISSON_JCACHE, Target.REDISSON_RAW);
    private static final Map<String, String> WORKLOADS = workloads();
    private static final String ALLOCATION = "gc.alloc.rate.norm";
    /** The workloads compared with redis-benchmark, and the command each sends. */
    private static final Map<String, String> SERVER_COMMANDS = Map.of("get", "GET", "put", "SET");
    /** The batch size classes reported one by one; the rest are summed in a last column. */
    private static final int BATCH_CLASSES = 6;

    private Report() {
    }

    static String resultFile(String mode, int threads) {
        return "jmh-" + mode + "-t" + threads + ".json";
    }

    /**
     * Writes {@code results.md} into {@code dir} from the {@code jmh-*.json} files there, and
     * {@code machine.txt}, {@code server.tsv} and {@code batches.tsv} when present.
     */
    static Path write(Path dir) throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "jmh-*.json")) {
            for (Path file : files) {
                new ObjectMapper().readTree(file.toFile()).forEach(runs::add);
            }
        }
        Path machine = dir.resolve(MACHINE_FILE);
        String machineText = Files.exists(machine) ? Files.readString(machine) : null;
        Path report = dir.resolve(REPORT_FILE);
        Files.writeString(report, markdown(runs, machineText, ServerCeiling.read(dir.resolve(SERVER_FILE)),
                BatchLog.read(dir.resolve(BATCHES_FILE))));
        return report;
    }

    static String markdown(List<JsonNode> runs, String machine) {
        return markdown(runs, machine, List.of(), List.of());
    }

    static String markdown(List<JsonNode> runs, String machine, List<ServerCeiling.Row> server,
                           List<BatchLog.Row> batches) {
        Map<String, Map<Integer, Map<String, Cell>>> cells = new TreeMap<>();
        for (JsonNode run : runs) {
            String benchmark = run.path("benchmark").asText();
            String workload = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String target = run.path("params").path("target").asText();
            cells.computeIfAbsent(workload, w -> new TreeMap<>())
                    .computeIfAbsent(run.path("threads").asInt(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(target, t -> new Cell())
                    .add(run);
        }
        boolean allocation = cells.values().stream().flatMap(m -> m.values().stream())
                .flatMap(m -> m.values().stream()).anyMatch(c -> c.bytesPerOp != null);

        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        if (!runs.isEmpty()) {
            md.append(settings(runs.get(0))).append("\n\n");
        }
        if (machine != null) {
            md.append("```text\n").append(machine.strip()).append("\n```\n\n");
        }
        md.append("Operations on ").append(String.format(Locale.ROOT, "%,d", Dataset.KEYS)).append(" keys with ")
                .append(Payload.JSON_BYTES).append("-byte JSON values; every read is a hit, every write an update. ")
                .append("ops/s: throughput of all threads together (higher is better). p50, p99: latency of one ")
                .append("operation in µs (lower is better). ours/x: throughput of jcache-redis divided by x's ")
                .append("(1.00 = as fast, 0.50 = half as fast).\n\n");
        md.append("| workload | threads | jcache-redis ops/s | redisson-jcache ops/s | redisson-raw ops/s | ours/raw "
                + "| ours/redisson-jcache | p50 µs: ours / redisson-jcache / raw | p99 µs: ours / redisson-jcache / raw |");
        md.append(allocation ? " alloc B/op: ours / redisson-jcache / raw |\n" : "\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|").append(allocation ? "--:|\n" : "\n");
        for (String workload : ordered(cells.keySet())) {
            cells.get(workload).forEach((threads, byTarget) -> {
                Function<String, Cell> cell = target -> byTarget.getOrDefault(target, new Cell());
                Cell ours = cell.apply(OURS);
                md.append("| ").append(WORKLOADS.getOrDefault(workload, workload)).append(" | ").append(threads);
                for (String target : TARGETS) {
                    md.append(" | ").append(opsPerSecond(cell.apply(target).opsPerSecond));
                }
                md.append(" | ").append(ratio(ours.opsPerSecond, cell.apply(Target.REDISSON_RAW).opsPerSecond));
                md.append(" | ").append(ratio(ours.opsPerSecond, cell.apply(Target.REDISSON_JCACHE).opsPerSecond));
                md.append(" | ").append(triple(cell, c -> c.p50Micros, Report::micros));
                md.append(" | ").append(triple(cell, c -> c.p99Micros, Report::micros));
                if (allocation) {
                    md.append(" | ").append(triple(cell, c -> c.bytesPerOp, Report::bytes));
                }
                md.append(" |\n");
            });
        }
        serverCeiling(md, cells, server);
        batchSizes(md, batches);
        return md.toString();
    }

    /** redis-benchmark's figures, then get and put of jcache-redis as a fraction of them. */
    private static void serverCeiling(StringBuilder md, Map<String, Map<Integer, Map<String, Cell>>> cells,
                                      List<ServerCeiling.Row> server) {
        if (server.isEmpty()) {
            return;
        }
        md.append("\n## Server ceiling\n\n");
        md.append("redis-benchmark against the same Redis, before the JMH runs: `SET` and `GET` of ")
                .append(Payload.JSON_BYTES).append("-byte values on ")
                .append(String.format(Locale.ROOT, "%,d", Dataset.KEYS))
                .append(" random keys; -c: connections, -P: commands pipelined on each. requests/s: all connections ")
                .append("together. p50, p99: latency of a request in ms (with -P, from the sending of its pipeline).\n\n");
        md.append("| command | -c | -P | requests | requests/s | p50 ms | p99 ms |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|\n");
        for (ServerCeiling.Row row : server) {
            md.append("| ").append(row.command()).append(" | ").append(row.clients()).append(" | ").append(row.pipeline())
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", row.requests()))
                    .append(" | ").append(opsPerSecond(row.perSecond()))
                    .append(" | ").append(millis(row.p50Millis()))
                    .append(" | ").append(millis(row.p99Millis())).append(" |\n");
        }
        List<String> comparisons = new ArrayList<>();
        for (String workload : ordered(cells.keySet())) {
            String command = SERVER_COMMANDS.get(workload);
            if (command == null) {
                continue;
            }
            cells.get(workload).forEach((threads, byTarget) -> {
                Double ours = byTarget.getOrDefault(OURS, new Cell()).opsPerSecond;
                Double plain = serverRate(server, command, threads, 1);
                if (ours == null || plain == null) {
                    return;
                }
                Double raw = byTarget.getOrDefault(Target.REDISSON_RAW, new Cell()).opsPerSecond;
                Double pipelined = serverRate(server, command, threads, ServerCeiling.PIPELINE);
                comparisons.add("| " + WORKLOADS.getOrDefault(workload, workload) + " | " + threads + " | " + command
                        + " | " + opsPerSecond(ours) + " | " + opsPerSecond(plain) + " | " + ratio(ours, plain)
                        + " | " + ratio(raw, plain) + " | " + opsPerSecond(pipelined) + " | " + ratio(ours, pipelined)
                        + " |\n");
            });
        }
        if (comparisons.isEmpty()) {
            return;
        }
        md.append("\nThroughput of jcache-redis at a thread count against redis-benchmark's same command at as many ")
                .append("connections (-c = threads), without and with -P ").append(ServerCeiling.PIPELINE)
                .append(" (the ceiling for calls batched into pipelines). 1.00 = as many operations per second as ")
                .append("the server's own client.\n\n");
        md.append("| workload | threads | command | jcache-redis ops/s | redis-benchmark requests/s | ours/redis-benchmark "
                + "| raw/redis-benchmark | -P " + ServerCeiling.PIPELINE + " requests/s | ours/-P " + ServerCeiling.PIPELINE
                + " |\n");
        md.append("|---|--:|---|--:|--:|--:|--:|--:|--:|\n");
        comparisons.forEach(md::append);
    }

    private static Double serverRate(List<ServerCeiling.Row> server, String command, int clients, int pipeline) {
        double sum = 0;
        int runs = 0;
        for (ServerCeiling.Row row : server) {
            if (row.command().equals(command) && row.clients() == clients && row.pipeline() == pipeline) {
                sum += row.perSecond();
                runs++;
            }
        }
        return runs == 0 ? null : sum / runs;
    }

    /** Per workload and thread count (throughput mode), how many commands jcache-redis's round trips carried. */
    private static void batchSizes(StringBuilder md, List<BatchLog.Row> batches) {
        Map<String, Map<Integer, BatchLog.Row>> sums = new TreeMap<>();
        for (BatchLog.Row row : batches) {
            if (!row.target().equals(OURS) || !row.mode().equals("thrpt")) {
                continue;
            }
            sums.computeIfAbsent(row.workload(), w -> new TreeMap<>()).merge(row.threads(), row, Report::sum);
        }
        if (sums.isEmpty()) {
            return;
        }
        md.append("\n## Batch sizes\n\n");
        md.append("jcache-redis in throughput mode, over the measurement iterations (all forks): batches: round trips ")
                .append("that carried single-entry calls (concurrent calls to one node share one); commands/batch: ")
                .append("their average size; then the share of batches by how many commands they carried.\n\n");
        md.append("| workload | threads | batches | commands/batch |");
        for (int i = 0; i < BATCH_CLASSES; i++) {
            md.append(' ').append(BatchSizes.Snapshot.label(i)).append(" |");
        }
        md.append(' ').append(1L << BATCH_CLASSES).append("+ |\n");
        md.append("|---|--:|--:|--:|").append("--:|".repeat(BATCH_CLASSES + 1)).append('\n');
        for (String workload : ordered(sums.keySet())) {
            sums.get(workload).forEach((threads, row) -> {
                long total = row.batches();
                md.append("| ").append(WORKLOADS.getOrDefault(workload, workload)).append(" | ").append(threads)
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", total))
                        .append(" | ").append(total == 0 ? "–" : String.format(Locale.ROOT, "%.2f", (double) row.commands() / total));
                long[] counts = row.counts();
                for (int i = 0; i <= BATCH_CLASSES; i++) {
                    long count = 0;
                    if (i < BATCH_CLASSES) {
                        count = i < counts.length ? counts[i] : 0;
                    } else {
                        for (int j = BATCH_CLASSES; j < counts.length; j++) {
                            count += counts[j]; // the last column: this class and all larger ones
                        }
                    }
                    md.append(" | ").append(share(count, total));
                }
                md.append(" |\n");
            });
        }
    }

    private static BatchLog.Row sum(BatchLog.Row a, BatchLog.Row b) {
        long[] counts = new long[Math.max(a.counts().length, b.counts().length)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = (i < a.counts().length ? a.counts()[i] : 0) + (i < b.counts().length ? b.counts()[i] : 0);
        }
        return new BatchLog.Row(a.workload(), a.target(), a.threads(), a.mode(), a.commands() + b.commands(), counts);
    }

    static String share(long count, long total) {
        if (total == 0) {
            return "–";
        }
        double percent = 100.0 * count / total;
        return count == 0 ? "0%" : percent < 0.5 ? "<1%" : String.format(Locale.ROOT, "%.0f%%", percent);
    }

    private static String millis(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String settings(JsonNode run) {
        int forks = run.path("forks").asInt();
        return String.format(Locale.ROOT, "JMH %s, %d fork%s, warmup %d × %s, measurement %d × %s per benchmark and mode; %s %s.",
                run.path("jmhVersion").asText(), forks, forks == 1 ? "" : "s",
                run.path("warmupIterations").asInt(), run.path("warmupTime").asText(),
                run.path("measurementIterations").asInt(), run.path("measurementTime").asText(),
                run.path("vmName").asText(), run.path("jdkVersion").asText());
    }

    private static List<String> ordered(Iterable<String> workloads) {
        List<String> ordered = new ArrayList<>();
        WORKLOADS.keySet().forEach(w -> {
            for (String present : workloads) {
                if (present.equals(w)) {
                    ordered.add(w);
                }
            }
        });
        workloads.forEach(w -> {
            if (!ordered.contains(w)) {
                ordered.add(w);
            }
        });
        return ordered;
    }

    private static String triple(Function<String, Cell> cell, Function<Cell, Double> value, Function<Double, String> format) {
        List<String> parts = new ArrayList<>();
        for (String target : TARGETS) {
            parts.add(format.apply(value.apply(cell.apply(target))));
        }
        return String.join(" / ", parts);
    }

    static String opsPerSecond(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ratio(Double ours, Double other) {
        return ours == null || other == null || other == 0 ? "–" : String.format(Locale.ROOT, "%.2f", ours / other);
    }

    static String micros(Double value) {
        if (value == null) {
            return "–";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%,.0f", value);
    }

    private static String bytes(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static Map<String, String> workloads() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("get", "get (hit)");
        labels.put("put", "put (update)");
        labels.put("mixed", "90% get / 10% put");
        labels.put("getAll", "getAll(100)");
        labels.put("putAll", "putAll(100)");
        labels.put("getAccessExpiry", "get, AccessedExpiryPolicy");
        labels.put("invoke", "invoke (increment)");
        return labels;
    }

    /** One target's numbers for one workload and thread count, from its throughput and sample runs. */
    private static final class Cell {
        Double opsPerSecond;
        Double p50Micros;
        Double p99Micros;
        Double bytesPerOp;

        void add(JsonNode run) {
            JsonNode primary = run.path("primaryMetric");
            String unit = primary.path("scoreUnit").asText();
            switch (run.path("mode").asText()) {
                case "thrpt" -> opsPerSecond = primary.path("score").asDouble() * perSecond(unit);
                case "sample" -> {
                    double toMicros = micros(unit);
                    p50Micros = primary.path("scorePercentiles").path("50.0").asDouble() * toMicros;
                    p99Micros = primary.path("scorePercentiles").path("99.0").asDouble() * toMicros;
                }
                default -> {
                    return;
                }
            }
            // JMH's gc profiler (-prof gc); older JMH versions put a '·' before the name
            run.path("secondaryMetrics").properties().forEach(metric -> {
                if (metric.getKey().endsWith(ALLOCATION) && (bytesPerOp == null || "thrpt".equals(run.path("mode").asText()))) {
                    bytesPerOp = metric.getValue().path("score").asDouble();
                }
            });
        }

        /** The factor from {@code ops/<unit>} to ops/s. */
        private static double perSecond(String unit) {
            return 1 / seconds(unit.substring(unit.indexOf('/') + 1));
        }

        /** The factor from {@code <unit>/op} to µs. */
        private static double micros(String unit) {
            return seconds(unit.substring(0, unit.indexOf('/'))) * 1e6;
        }

        private static double seconds(String unit) {
            return switch (unit) {
                case "s" -> 1;
                case "ms" -> 1e-3;
                case "us" -> 1e-6;
                case "ns" -> 1e-9;
                case "min" -> 60;
                default -> throw new IllegalArgumentException("unknown time unit '" + unit + "' in the JMH results");
            };
        }
    }
}
