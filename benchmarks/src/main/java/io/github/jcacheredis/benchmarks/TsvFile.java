package io.github.jcacheredis.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The data lines of a tab-separated results file. */
final class TsvFile {

    private TsvFile() {
    }

    /**
     * The cells of each line of {@code file} that has at least {@code minCells} cells and is not
     * its header (first cell {@code header}); none when the file does not exist.
     */
    static List<String[]> rows(Path file, String header, int minCells) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cells = line.split("\t");
            if (!line.isBlank() && !cells[0].equals(header) && cells.length >= minCells) {
                rows.add(cells);
            }
        }
        return rows;
    }
}
