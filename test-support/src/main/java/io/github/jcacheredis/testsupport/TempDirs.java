package io.github.jcacheredis.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the working directories of servers a test has closed, so runs do not pile them up. */
final class TempDirs {

    private TempDirs() {
    }

    /** Deletes {@code dir} and everything in it; what cannot be deleted stays (best effort). */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a file still held open: left behind
                }
            });
        } catch (IOException ignored) {
            // the directory went away meanwhile
        }
    }
}
