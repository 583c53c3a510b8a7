package io.github.jcacheredis.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Options of the form {@code --name value} that a command knows; the rest is passed on (to JMH). */
final class Args {

    private final Map<String, String> named;
    private final List<String> rest;

    private Args(Map<String, String> named, List<String> rest) {
        this.named = named;
        this.rest = rest;
    }

    static Args parse(String[] args, Set<String> names) {
        Map<String, String> named = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!names.contains(name)) {
                rest.add(arg);
            } else if (eq >= 0) {
                named.put(name, arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                named.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
        }
        return new Args(named, rest);
    }

    String get(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }

    /** A comma-separated list, e.g. {@code --threads 1,16}. */
    List<String> list(String name, String fallback) {
        return Arrays.stream(get(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    List<Integer> ints(String name, String fallback) {
        try {
            return list(name, fallback).stream().map(s -> Integer.valueOf(s.replace("_", ""))).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes whole numbers separated by commas, not '"
                    + get(name, fallback) + "'", e);
        }
    }

    String[] rest() {
        return rest.toArray(String[]::new);
    }
}
