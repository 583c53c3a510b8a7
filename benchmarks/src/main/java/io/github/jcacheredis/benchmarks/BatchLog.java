package io.github.jcacheredis.benchmarks;

import io.github.jcacheredis.store.BatchSizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code batches.tsv}: how many commands the round trips of this project's provider carried during
 * the measurement iterations of each JMH trial, one line per trial (so one per fork). Columns:
 * workload (the JMH method), target, threads, mode, batches, commands, then the number of batches
 * per size class: {@code 1}, {@code 2-3}, {@code 4-7}, ... (class {@code i} holds batches of 2^i to
 * 2^(i+1)-1 commands).
 */
final class BatchLog {

    /** The system property naming the file the forks append to; nothing is written without it. */
    static final String PROPERTY = "bench.batches";

    private static final int FIRST_CLASS_COLUMN = 6;

    private BatchLog() {
    }

    /** One trial's batches. */
    record Row(String workload, String target, int threads, String mode, long commands, long[] counts) {

        long batches() {
            return Arrays.stream(counts).sum();
        }
    }

    /** Appends {@code row} to {@code file}, with a header line first when the file is new. */
    static synchronized void append(Path file, Row row) throws IOException {
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append("workload\ttarget\tthreads\tmode\tbatches\tcommands");
            for (int i = 0; i < row.counts().length; i++) {
                text.append('\t').append(BatchSizes.Snapshot.label(i));
            }
            text.append('\n');
        }
        text.append(row.workload()).append('\t').append(row.target()).append('\t').append(row.threads())
                .append('\t').append(row.mode()).append('\t').append(row.batches()).append('\t').append(row.commands());
        for (long count : row.counts()) {
            text.append('\t').append(count);
        }
        text.append('\n');
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The rows of {@code file}; none when it does not exist. */
    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String[] cells : TsvFile.rows(file, "workload", FIRST_CLASS_COLUMN)) {
            long[] counts = new long[cells.length - FIRST_CLASS_COLUMN];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = Long.parseLong(cells[FIRST_CLASS_COLUMN + i].trim());
            }
            rows.add(new Row(cells[0], cells[1], Integer.parseInt(cells[2].trim()), cells[3],
                    Long.parseLong(cells[5].trim()), counts));
        }
        return rows;
    }
}
