package io.github.jcacheredis.benchmarks;

/**
 * The cached value: a record whose JSON, {@code {"counter":0,"text":"..."}}, is 100 bytes when it
 * is created. {@link #incremented()} is what the entry-processor workload does to it.
 */
public record Payload(long counter, String text) {

    /** The size of a new value's JSON. */
    public static final int JSON_BYTES = 100;

    private static final int JSON_OVERHEAD = "{\"counter\":0,\"text\":\"\"}".length();

    /** The value first stored under {@code key}. */
    public static Payload of(String key) {
        StringBuilder text = new StringBuilder(JSON_BYTES).append("value of ").append(key).append(' ');
        while (text.length() < JSON_BYTES - JSON_OVERHEAD) {
            text.append('x');
        }
        text.setLength(JSON_BYTES - JSON_OVERHEAD);
        return new Payload(0, text.toString());
    }

    public Payload incremented() {
        return new Payload(counter + 1, text);
    }
}
