package io.github.jcacheredis.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;

/**
 * The server's own ceiling: {@code redis-benchmark} (when it is on the PATH) sending {@code SET}
 * and {@code GET} of {@link Payload#JSON_BYTES}-byte values on {@link Dataset#KEYS} random keys to
 * the Redis of the suite, at 16 and 64 connections (and any other thread count of the suite above
 * one), and at 16 connections with 16 commands pipelined on each. Its keys are
 * {@code jcache-redis-bench:rb:<12 digits>} and are deleted afterwards (SCAN + UNLINK). Writes
 * {@code server.tsv}: command, clients, pipeline, requests, requests per second, p50 and p99 in ms.
 */
final class ServerCeiling {

    static final String KEY_PREFIX = RedisEndpoint.NAMESPACE + ":rb:";
    /** Per run; at the 25,000 to 100,000 requests/s of a small machine, one to four seconds each. */
    static final int REQUESTS = 100_000;
    static final int PIPELINE = 16;
    private static final List<Integer> CLIENTS = List.of(16, 64);
    private static final List<String> COMMANDS = List.of("SET", "GET"); // SET first: GET then hits
    private static final long TIMEOUT_SECONDS = 120;
    private static final int DELETE_BATCH = 500;

    private ServerCeiling() {
    }

    /** One redis-benchmark run. */
    record Row(String command, int clients, int pipeline, long requests, double perSecond, Double p50Millis,
               Double p99Millis) {
    }

    /**
     * Runs redis-benchmark against {@code redis} and writes {@code file}; does nothing (and says so)
     * when redis-benchmark is not on the PATH. A failure is reported and leaves the suite running.
     */
    static void measure(RedisEndpoint redis, List<Integer> threads, Path file) {
        Optional<Path> executable = onPath("redis-benchmark");
        if (executable.isEmpty()) {
            System.out.println("server ceiling: redis-benchmark is not on the PATH; skipped");
            return;
        }
        TreeSet<Integer> clients = new TreeSet<>(CLIENTS);
        threads.stream().filter(t -> t > 1).forEach(clients::add);
        List<int[]> runs = new ArrayList<>();
        clients.forEach(c -> runs.add(new int[] {c, 1}));
        runs.add(new int[] {16, PIPELINE});
        List<Row> rows = new ArrayList<>();
        try {
            for (int[] run : runs) {
                for (String command : COMMANDS) {
                    Row row = run(executable.get(), redis.url(), command, run[0], run[1]);
                    System.out.printf(Locale.ROOT, "server ceiling: redis-benchmark %s -c %d -P %d: %,.0f requests/s%n",
                            command, run[0], run[1], row.perSecond());
                    rows.add(row);
                }
            }
            write(file, rows);
        } catch (IOException | RuntimeException e) {
            System.out.println("server ceiling: skipped, " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                System.out.println("server ceiling: deleted " + deleteKeys(redis) + " keys " + KEY_PREFIX + "*");
            } catch (RuntimeException e) {
                System.out.println("server ceiling: could not delete the keys " + KEY_PREFIX + "*: " + e);
            }
        }
    }

    private static Row run(Path executable, URI url, String command, int clients, int pipeline)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(executable.toString(), "-h", url.getHost(),
                "-p", String.valueOf(url.getPort() < 0 ? 6379 : url.getPort())));
        String userInfo = url.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            if (!user.isEmpty()) {
                line.addAll(List.of("--user", user));
            }
            line.addAll(List.of("-a", decode(colon < 0 ? userInfo : userInfo.substring(colon + 1))));
        }
        if (url.getPath() != null && url.getPath().length() > 1) {
            line.addAll(List.of("--dbnum", url.getPath().substring(1)));
        }
        if ("rediss".equals(url.getScheme())) {
            line.add("--tls");
        }
        line.addAll(List.of("-c", String.valueOf(clients), "-P", String.valueOf(pipeline),
                "-n", String.valueOf(REQUESTS), "-r", String.valueOf(Dataset.KEYS), "--csv",
                command, KEY_PREFIX + "__rand_int__"));
        if (command.equals("SET")) {
            line.add("x".repeat(Payload.JSON_BYTES));
        }
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("redis-benchmark took over " + TIMEOUT_SECONDS + " s");
        }
        // --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
        for (String row : output.split("[\r\n]+")) {
            String[] cells = row.strip().split("\",\"");
            if (cells.length >= 7 && cells[0].startsWith("\"" + command + " ")) {
                return new Row(command, clients, pipeline, REQUESTS, Double.parseDouble(cells[1]),
                        Double.valueOf(cells[4]), Double.valueOf(cells[6].replace("\"", "")));
            }
        }
        throw new IOException("redis-benchmark " + command + " -c " + clients + " -P " + pipeline
                + " exited with " + process.exitValue() + " and printed no result: " + output.strip());
    }

    private static void write(Path file, List<Row> rows) throws IOException {
        StringBuilder text = new StringBuilder("command\tclients\tpipeline\trequests\trequests_per_second\tp50_ms\tp99_ms\n");
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%.2f\t%s\t%s%n", row.command(), row.clients(),
                    row.pipeline(), row.requests(), row.perSecond(), number(row.p50Millis()), number(row.p99Millis())));
        }
        Files.writeString(file, text);
    }

    /** The rows of {@code file}; none when it does not exist. */
    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String[] cells : TsvFile.rows(file, "command", 5)) {
            rows.add(new Row(cells[0], Integer.parseInt(cells[1]), Integer.parseInt(cells[2]), Long.parseLong(cells[3]),
                    Double.parseDouble(cells[4]), cells.length > 5 ? parse(cells[5]) : null,
                    cells.length > 6 ? parse(cells[6]) : null));
        }
        return rows;
    }

    /** Deletes the keys redis-benchmark wrote, and nothing else; returns how many there were. */
    private static long deleteKeys(RedisEndpoint redis) {
        RedissonClient client = Redisson.create(redis.redissonConfig());
        try {
            // the prefix is made of letters, '-' and ':', none of them special in a pattern
            Iterator<String> names = client.getKeys()
                    .getKeys(KeysScanOptions.defaults().pattern(KEY_PREFIX + "*").chunkSize(DELETE_BATCH)).iterator();
            List<String> batch = new ArrayList<>(DELETE_BATCH);
            long deleted = 0;
            while (names.hasNext()) {
                batch.add(names.next());
                if (batch.size() == DELETE_BATCH || !names.hasNext()) {
                    deleted += client.getKeys().unlink(batch.toArray(String[]::new));
                    batch.clear();
                }
            }
            return deleted;
        } finally {
            client.shutdown();
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static Double parse(String cell) {
        return cell.isBlank() ? null : Double.valueOf(cell);
    }
}
