package io.github.jcacheredis.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onePerWorkloadAndThreadCountWithRatiosAndPercentiles() throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        runs.add(throughput("get", Target.JCACHE_REDIS, 1, 9000, "ops/s"));
        runs.add(throughput("get", Target.REDISSON_RAW, 1, 10000, "ops/s"));
        runs.add(throughput("get", Target.REDISSON_JCACHE, 1, 4.5, "ops/ms"));
        runs.add(sample("get", Target.JCACHE_REDIS, 1, 0.1105, 0.95, "ms/op"));

        String md = Report.markdown(runs, "nproc: 2\n");

        assertTrue(md.contains("| get (hit) | 1 | 9,000 | 4,500 | 10,000 | 0.90 | 2.00 | 111 / – / – | 950 / – / – |"), md);
        assertTrue(md.contains("```text\nnproc: 2\n```"), md);
        assertTrue(md.contains("JMH 1.37, 1 fork, warmup 1 × 2 s, measurement 1 × 3 s"), md);
    }

    @Test
    void workloadsInTheOrderOfTheIssueThenThreadCounts() {
        List<JsonNode> runs = new ArrayList<>();
        runs.add(throughput("invoke", Target.JCACHE_REDIS, 16, 1, "ops/s"));
        runs.add(throughput("invoke", Target.JCACHE_REDIS, 1, 1, "ops/s"));
        runs.add(throughput("put", Target.JCACHE_REDIS, 1, 1, "ops/s"));

        String md = Report.markdown(runs, null);

        int put = md.indexOf("| put (update) | 1 |");
        int invoke1 = md.indexOf("| invoke (increment) | 1 |");
        int invoke16 = md.indexOf("| invoke (increment) | 16 |");
        assertTrue(put > 0 && put < invoke1 && invoke1 < invoke16, md);
    }

    @Test
    void allocationColumnOnlyWithTheGcProfiler() {
        JsonNode run = throughput("put", Target.JCACHE_REDIS, 1, 100, "ops/s");
        assertTrue(!Report.markdown(List.of(run), null).contains("alloc B/op"));

        ((ObjectNode) run).putObject("secondaryMetrics")
                .putObject("gc.alloc.rate.norm").put("score", 2048.4).put("scoreUnit", "B/op");
        assertTrue(Report.markdown(List.of(run), null).contains("| 2,048 / – / – |"));
    }

    @Test
    void writesResultsMarkdownFromTheJsonFilesOfADirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Report.resultFile("thrpt", 1)),
                JSON.writeValueAsString(List.of(throughput("get", Target.JCACHE_REDIS, 1, 1234.4, "ops/s"))));
        Files.writeString(dir.resolve(Report.MACHINE_FILE), "nproc: 2\n");

        Path report = Report.write(dir);

        assertEquals(dir.resolve(Report.REPORT_FILE), report);
        assertTrue(Files.readString(report).contains("| get (hit) | 1 | 1,234 | – | – | – | – |"));
    }

    @Test
    void serverCeilingWithOursAsAFractionAtTheMatchingThreadCounts() {
        List<JsonNode> runs = new ArrayList<>();
        runs.add(throughput("get", Target.JCACHE_REDIS, 1, 10000, "ops/s"));
        runs.add(throughput("get", Target.JCACHE_REDIS, 16, 40000, "ops/s"));
        runs.add(throughput("get", Target.REDISSON_RAW, 16, 30000, "ops/s"));
        runs.add(throughput("get", Target.JCACHE_REDIS, 64, 45000, "ops/s"));
        runs.add(throughput("put", Target.JCACHE_REDIS, 16, 20000, "ops/s"));
        List<ServerCeiling.Row> server = List.of(
                new ServerCeiling.Row("SET", 16, 1, 100000, 40000, 0.3, 0.9),
                new ServerCeiling.Row("GET", 16, 1, 100000, 50000, 0.25, 0.8),
                new ServerCeiling.Row("GET", 64, 1, 100000, 60000, 1.0, 2.0),
                new ServerCeiling.Row("GET", 16, 16, 100000, 400000, 0.5, 1.5));

        String md = Report.markdown(runs, null, server, List.of());

        assertTrue(md.contains("## Server ceiling"), md);
        assertTrue(md.contains("| GET | 16 | 16 | 100,000 | 400,000 | 0.500 | 1.500 |"), md);
        assertTrue(md.contains("| get (hit) | 16 | GET | 40,000 | 50,000 | 0.80 | 0.60 | 400,000 | 0.10 |"), md);
        assertTrue(md.contains("| get (hit) | 64 | GET | 45,000 | 60,000 | 0.75 | – | – | – |"), md);
        assertTrue(md.contains("| put (update) | 16 | SET | 20,000 | 40,000 | 0.50 | – | – | – |"), md);
        assertTrue(!md.contains("| get (hit) | 1 | GET"), md);
        // the main table has every thread count
        assertTrue(md.contains("| get (hit) | 64 | 45,000 |"), md);
        assertTrue(!md.contains("## Batch sizes"), md);
    }

    @Test
    void batchSizesOfOursInThroughputModeSummedOverForks() {
        long[] counts = new long[31];
        counts[0] = 10;
        counts[1] = 30;
        counts[2] = 40;
        counts[7] = 20;
        List<BatchLog.Row> batches = List.of(
                new BatchLog.Row("get", Target.JCACHE_REDIS, 16, "thrpt", 1500, counts),
                new BatchLog.Row("get", Target.JCACHE_REDIS, 16, "thrpt", 1500, counts),
                new BatchLog.Row("get", Target.JCACHE_REDIS, 16, "sample", 99, counts),
                new BatchLog.Row("put", Target.JCACHE_REDIS, 1, "thrpt", 0, new long[31]));

        String md = Report.markdown(List.of(), null, List.of(), batches);

        assertTrue(md.contains("| workload | threads | batches | commands/batch | 1 | 2-3 | 4-7 | 8-15 | 16-31 | 32-63 | 64+ |"), md);
        assertTrue(md.contains("| get (hit) | 16 | 200 | 15.00 | 10% | 30% | 40% | 0% | 0% | 0% | 20% |"), md);
        assertTrue(md.contains("| put (update) | 1 | 0 | – | – | – | – | – | – | – | – |"), md);
        assertTrue(md.indexOf("| get (hit) | 16 | 200") < md.indexOf("| put (update) | 1 | 0"), md);
        assertTrue(!md.contains("## Server ceiling"), md);
    }

    @Test
    void readsTheTsvFilesOfADirectoryAndWithoutThemOmitsTheirSections(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Report.resultFile("thrpt", 16)),
                JSON.writeValueAsString(List.of(throughput("get", Target.JCACHE_REDIS, 16, 30000, "ops/s"))));
        String without = Files.readString(Report.write(dir));
        assertTrue(!without.contains("## Server ceiling") && !without.contains("## Batch sizes"), without);

        long[] counts = new long[31];
        counts[0] = 1;
        counts[3] = 3;
        BatchLog.append(dir.resolve(Report.BATCHES_FILE), new BatchLog.Row("get", Target.JCACHE_REDIS, 16, "thrpt", 25, counts));
        BatchLog.append(dir.resolve(Report.BATCHES_FILE), new BatchLog.Row("get", Target.JCACHE_REDIS, 16, "thrpt", 25, counts));
        Files.writeString(dir.resolve(Report.SERVER_FILE), "command\tclients\tpipeline\trequests\trequests_per_second\tp50_ms\tp99_ms\n"
                + "GET\t16\t1\t100000\t60000.00\t0.250\t0.700\n");

        assertEquals(1, Files.readAllLines(dir.resolve(Report.BATCHES_FILE)).stream().filter(l -> l.startsWith("workload")).count());
        String with = Files.readString(Report.write(dir));
        assertTrue(with.contains("| get (hit) | 16 | 8 | 6.25 | 25% | 0% | 0% | 75% | 0% | 0% | 0% |"), with);
        assertTrue(with.contains("| GET | 16 | 1 | 100,000 | 60,000 | 0.250 | 0.700 |"), with);
        assertTrue(with.contains("| get (hit) | 16 | GET | 30,000 | 60,000 | 0.50 |"), with);
    }

    @Test
    void numberFormats() {
        assertEquals("1.23", Report.micros(1.234));
        assertEquals("12.3", Report.micros(12.34));
        assertEquals("1,234", Report.micros(1234.4));
        assertEquals("–", Report.ratio(1.0, null));
        assertEquals("0.50", Report.ratio(1.0, 2.0));
        assertEquals("<1%", Report.share(1, 1000));
        assertEquals("0%", Report.share(0, 1000));
        assertEquals("–", Report.share(0, 0));
    }

    private static JsonNode throughput(String workload, String target, int threads, double score, String unit) {
        JsonNode run = run(workload, target, threads, "thrpt");
        ((ObjectNode) run.path("primaryMetric")).put("score", score).put("scoreUnit", unit);
        return run;
    }

    private static JsonNode sample(String workload, String target, int threads, double p50, double p99, String unit) {
        JsonNode run = run(workload, target, threads, "sample");
        ObjectNode primary = (ObjectNode) run.path("primaryMetric");
        primary.put("score", p50).put("scoreUnit", unit);
        primary.putObject("scorePercentiles").put("50.0", p50).put("99.0", p99);
        return run;
    }

    private static JsonNode run(String workload, String target, int threads, String mode) {
        ObjectNode run = JSON.createObjectNode()
                .put("jmhVersion", "1.37")
                .put("benchmark", "io.github.jcacheredis.benchmarks.OperationsBenchmark." + workload)
                .put("mode", mode)
                .put("threads", threads)
                .put("forks", 1)
                .put("warmupIterations", 1)
                .put("warmupTime", "2 s")
                .put("measurementIterations", 1)
                .put("measurementTime", "3 s")
                .put("vmName", "OpenJDK 64-Bit Server VM")
                .put("jdkVersion", "17.0.15");
        run.putObject("params").put("target", target);
        run.putObject("primaryMetric");
        return run;
    }
}
