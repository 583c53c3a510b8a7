package io.github.jcacheredis.benchmarks;

import java.util.Arrays;

/**
 * The entry point of {@code benchmarks.jar}. Commands:
 * <ul>
 *   <li>{@code suite [--out DIR] [--threads 1,16] [--modes thrpt,sample] [JMH options]}: the
 *       operation benchmarks, then {@code results.md} ({@link Suite});</li>
 *   <li>{@code large [--out DIR] [--entries 100000,1000000] [--targets ...]}: clear() and a full
 *       iteration of a large cache, time and client heap ({@link LargeCacheMeasurement});</li>
 *   <li>{@code near [--out DIR] [--threads 1,16] [JMH options]}: hot-key reads with and without a
 *       near cache, and the near cache's invalidation delay ({@link NearCacheMeasurement});</li>
 *   <li>{@code expiry [--out DIR] [--volatile 1000000] [--entries 1000000] [--probes 2000]}: EXPIRED
 *       event delay among many volatile keys and during a large enrolment ({@link ExpiryMeasurement});</li>
 *   <li>{@code report DIR}: writes {@code results.md} again from the JSON results in DIR;</li>
 *   <li>{@code jmh [JMH options]}: JMH's own command line, for anything else.</li>
 * </ul>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 || args[0].startsWith("-") ? "suite" : args[0];
        String[] rest = args.length == 0 || args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "suite" -> Suite.run(rest);
            case "large" -> LargeCacheMeasurement.run(rest);
            case "near" -> NearCacheMeasurement.run(rest);
            case "expiry" -> ExpiryMeasurement.run(rest);
            case "report" -> {
                if (rest.length != 1) {
                    throw new IllegalArgumentException("usage: report DIR");
                }
                System.out.println("wrote " + Report.write(java.nio.file.Path.of(rest[0])));
            }
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("unknown command '" + command + "'; commands: suite, large, near, expiry, report, jmh");
                System.exit(2);
            }
        }
    }
}
