package io.github.jcacheredis.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link OperationsBenchmark} once per thread count and mode against one Redis (started here
 * unless {@code REDIS_URL} names one), so every fork of every target uses the same server; then
 * writes the JSON results, a description of the machine, the batch sizes of this project's provider
 * ({@link BatchLog}), the server's own ceiling ({@link ServerCeiling}, measured first) and
 * {@code results.md} to the output directory. JMH options (forks, iterations, {@code -prof gc}, a
 * benchmark regex, ...) are passed through; thread counts and modes come from {@code --threads}
 * and {@code --modes}.
 */
final class Suite {

    private Suite() {
    }

    static void run(String[] arguments) throws Exception {
        Args args = Args.parse(arguments, Set.of("--out", "--threads", "--modes"));
        Path out = Output.directory(args, "suite");
        List<Integer> threads = args.ints("--threads", "1,16");
        List<Mode> modes = args.list("--modes", "thrpt,sample").stream().map(Mode::deepValueOf).toList();
        CommandLineOptions jmh = new CommandLineOptions(args.rest());
        if (jmh.shouldHelp()) {
            jmh.showHelp();
            return;
        }
        try (RedisEndpoint.Lease redis = RedisEndpoint.acquire()) {
            List<String> forkArgs = new ArrayList<>(jmh.getJvmArgsAppend().orElse(List.of()));
            if (redis.startedServer()) {
                String url = redis.endpoint().url().toString();
                System.setProperty(RedisEndpoint.URL_PROPERTY, url); // for -f 0, which runs in this JVM
                forkArgs.add("-D" + RedisEndpoint.URL_PROPERTY + "=" + url);
            }
            Files.writeString(out.resolve(Report.MACHINE_FILE), Machine.describe(redis.endpoint()));
            // each trial of jcache-redis appends its batch sizes here
            String batches = out.resolve(Report.BATCHES_FILE).toAbsolutePath().toString();
            System.setProperty(BatchLog.PROPERTY, batches); // for -f 0
            forkArgs.add("-D" + BatchLog.PROPERTY + "=" + batches);
            ServerCeiling.measure(redis.endpoint(), threads, out.resolve(Report.SERVER_FILE));
            for (int count : threads) {
                for (Mode mode : modes) {
                    ChainedOptionsBuilder options = new OptionsBuilder().parent(jmh)
                            .threads(count)
                            .mode(mode)
                            .timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
                            .jvmArgsAppend(forkArgs.toArray(String[]::new))
                            .resultFormat(ResultFormatType.JSON)
                            .result(out.resolve(Report.resultFile(mode.shortLabel(), count)).toString());
                    if (jmh.getIncludes().isEmpty()) {
                        options.include(OperationsBenchmark.class.getName() + "\\.");
                    }
                    new Runner(options.build()).run();
                }
            }
        }
        System.out.println("results: " + Report.write(out));
    }
}
