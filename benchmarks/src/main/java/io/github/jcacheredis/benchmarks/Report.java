package io.github.jcacheredis.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * provider to raw Redisson and to Redisson's JCache.
 */
final class Report {

    static final String MACHINE_FILE = "machine.txt";
    static final String REPORT_FILE = "results.md";

    private static final String OURS = Target.JCACHE_REDIS;
    private static final List<String> TARGETS = List.of(Target.JCACHE_REDIS, Target.REDISSON_JCACHE, Target.REDISSON_RAW);
    private static final Map<String, String> WORKLOADS = workloads();
    private static final String ALLOCATION = "gc.alloc.rate.norm";

    private Report() {
    }

    static String resultFile(String mode, int threads) {
        return "jmh-" + mode + "-t" + threads + ".json";
    }

    /** Writes {@code results.md} into {@code dir} from the {@code jmh-*.json} files there. */
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
        Files.writeString(report, markdown(runs, machineText));
        return report;
    }

    static String markdown(List<JsonNode> runs, String machine) {
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
        return md.toString();
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
