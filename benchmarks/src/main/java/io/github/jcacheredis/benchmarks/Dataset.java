package io.github.jcacheredis.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The keys and values every target holds: {@code key-00000} ... with a {@link Payload} each. */
final class Dataset {

    /** Entries per cache in the operation benchmarks. */
    static final int KEYS = 10_000;

    /** Entries per getAll / putAll call, and per write while loading a cache. */
    static final int BATCH = 100;

    private static final String[] NAMES = names(KEYS);
    private static final Payload[] VALUES = values(NAMES);

    private Dataset() {
    }

    static String key(int index) {
        return index < KEYS ? NAMES[index] : name(index);
    }

    static Payload value(int index) {
        return index < KEYS ? VALUES[index] : Payload.of(name(index));
    }

    /** Entries {@code from} (inclusive) to {@code to} (exclusive), in key order. */
    static Map<String, Payload> entries(int from, int to) {
        Map<String, Payload> entries = new LinkedHashMap<>((to - from) * 2);
        for (int i = from; i < to; i++) {
            entries.put(key(i), value(i));
        }
        return entries;
    }

    /** Loads entries {@code 0 .. count-1} into both caches of {@code target}, or only the plain one. */
    static void load(Target target, int count, boolean alsoExpiring) {
        for (int from = 0; from < count; from += BATCH * 10) {
            Map<String, Payload> chunk = entries(from, Math.min(count, from + BATCH * 10));
            target.putAll(chunk);
            if (alsoExpiring) {
                target.putAllExpiring(chunk);
            }
        }
    }

    private static String name(int index) {
        return String.format("key-%05d", index);
    }

    private static String[] names(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = name(i);
        }
        return names;
    }

    private static Payload[] values(String[] keys) {
        Payload[] values = new Payload[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = Payload.of(keys[i]);
        }
        return values;
    }
}
