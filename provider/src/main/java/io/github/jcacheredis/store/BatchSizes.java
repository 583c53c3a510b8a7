package io.github.jcacheredis.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many commands the batches of a manager carried: a histogram by powers of two (1, 2-3, 4-7,
 * ...). Batches of one are calls that found their node idle.
 */
public final class BatchSizes {

    private static final int BUCKETS = 31 - Integer.numberOfLeadingZeros(Integer.MAX_VALUE) + 1;

    private final LongAdder[] batches = new LongAdder[BUCKETS];
    private final LongAdder commands = new LongAdder();

    BatchSizes() {
        for (int i = 0; i < BUCKETS; i++) {
            batches[i] = new LongAdder();
        }
    }

    void record(int size) {
        batches[31 - Integer.numberOfLeadingZeros(size)].increment();
        commands.add(size);
    }

    /** The counts so far. */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = batches[i].sum();
        }
        return new Snapshot(counts, commands.sum());
    }

    /**
     * Batch counts by size class: {@code counts[i]} batches carried between 2^i and 2^(i+1)-1
     * commands; {@code commands} is the sum of their sizes.
     */
    public record Snapshot(long[] counts, long commands) {

        /** No batch yet. */
        public static Snapshot empty() {
            return new Snapshot(new long[BUCKETS], 0);
        }

        /** The batches sent. */
        public long batches() {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            return total;
        }

        /** Commands per batch on average, 0 before the first. */
        public double average() {
            long batches = batches();
            return batches == 0 ? 0 : (double) commands / batches;
        }

        /** What happened since {@code earlier}. */
        public Snapshot since(Snapshot earlier) {
            long[] delta = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                delta[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(delta, commands - earlier.commands);
        }

        /** Size classes with their share of batches, as {@code "1: 12%, 2-3: 30%, ..."}. */
        public String describe() {
            long total = batches();
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    parts.add(label(i) + ": " + Math.round(100.0 * counts[i] / total) + "%");
                }
            }
            return String.join(", ", parts);
        }

        /** The size class of bucket {@code i}: "1", "2-3", "4-7", ... */
        public static String label(int i) {
            long low = 1L << i;
            return i == 0 ? "1" : low + "-" + (2 * low - 1);
        }
    }
}
