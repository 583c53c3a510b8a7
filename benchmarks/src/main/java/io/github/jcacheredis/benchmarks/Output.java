package io.github.jcacheredis.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where a command writes its results: {@code --out DIR}, else a new directory per run. */
final class Output {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private Output() {
    }

    static Path directory(Args args, String command) throws IOException {
        Path out = Path.of(args.get("--out", "benchmark-results/" + STAMP.format(Instant.now()) + "-" + command));
        Files.createDirectories(out);
        return out;
    }
}
