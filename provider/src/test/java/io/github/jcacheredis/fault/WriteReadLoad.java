package io.github.jcacheredis.fault;

import io.github.jcacheredis.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.cache.Cache;

/**
 * Writes and reads from several instances at once while a fault happens, and records every call
 * that failed or read something wrong. Each write goes to a fresh key, so an acknowledged write has
 * exactly one value, which every read that starts after it, on any instance, must return. Each
 * worker puts, reads its own key back (read-your-writes), and reads a key some worker wrote before.
 */
final class WriteReadLoad implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int VERIFY_BATCH = 500;

    /** A call that went wrong, with its timing (System.nanoTime) and what happened. */
    record Call(String operation, String instance, String key, long startNanos, long endNanos, String outcome) {

        /** Whether the call was in flight at some moment between {@code from} and {@code to}. */
        boolean overlaps(long from, long to) {
            return startNanos <= to && endNanos >= from;
        }

        /** What went wrong, without the numbers that differ from call to call (slots, ports). */
        String kind() {
            return operation.split(" ")[0] + ": " + outcome.replaceAll("\\d+", "#");
        }

        /** One line, with times in ms relative to {@code origin}. */
        String describe(long origin) {
            return String.format("%s %s on %s, %d..%d ms: %s", operation, key, instance, (startNanos - origin) / 1_000_000,
                    (endNanos - origin) / 1_000_000, outcome);
        }
    }

    /**
     * One line per kind of failure, in order of first occurrence: how many calls, from when to when
     * (ms since {@code origin}), and the first such call.
     */
    static List<String> summarize(List<Call> calls, long origin) {
        Map<String, List<Call>> byKind = new LinkedHashMap<>();
        calls.stream().sorted(Comparator.comparingLong(Call::startNanos))
                .forEach(call -> byKind.computeIfAbsent(call.kind(), kind -> new ArrayList<>()).add(call));
        List<String> lines = new ArrayList<>();
        byKind.values().forEach(group -> lines.add(String.format("%d calls ending %d..%d ms, first: %s", group.size(),
                (group.stream().mapToLong(Call::endNanos).min().orElseThrow() - origin) / 1_000_000,
                (group.stream().mapToLong(Call::endNanos).max().orElseThrow() - origin) / 1_000_000,
                group.get(0).describe(origin))));
        return lines;
    }

    private final Map<String, Cache<String, String>> instances;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> acknowledgedKeys = new ArrayList<>();
    private final Queue<Call> failed = new ConcurrentLinkedQueue<>();
    private final Queue<Call> wrongReads = new ConcurrentLinkedQueue<>();
    private final AtomicLong acknowledgements = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    private WriteReadLoad(Map<String, Cache<String, String>> instances) {
        this.instances = Map.copyOf(instances);
    }

    /** Starts {@code threadsPerInstance} workers on each of the named instances' caches. */
    static WriteReadLoad start(Map<String, Cache<String, String>> instances, int threadsPerInstance) {
        WriteReadLoad load = new WriteReadLoad(instances);
        instances.forEach((name, cache) -> {
            for (int i = 0; i < threadsPerInstance; i++) {
                String worker = name + "-" + i;
                Thread thread = new Thread(() -> load.work(worker, name, cache), "load " + worker);
                thread.setDaemon(true);
                load.workers.add(thread);
            }
        });
        load.workers.forEach(Thread::start);
        return load;
    }

    /** Returns once {@code count} more writes than now have been acknowledged. */
    void awaitMoreAcknowledged(int count, Duration timeout) {
        long target = acknowledgements.get() + count;
        Await.until(target + " writes acknowledged", timeout, () -> acknowledgements.get() >= target,
                () -> acknowledgements.get() + " acknowledged, " + failed.size() + " failed");
    }

    /** Stops the workers and waits for their last calls to end. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join(STOP_TIMEOUT.toMillis());
        }
    }

    List<Call> failed() {
        return List.copyOf(failed);
    }

    List<Call> wrongReads() {
        return List.copyOf(wrongReads);
    }

    Set<String> acknowledgedKeys() {
        return Set.copyOf(acknowledged.keySet());
    }

    /** The acknowledged writes that {@code instance} cannot read back now, as "key: expected, got". */
    List<String> unreadable(String instance) {
        Cache<String, String> cache = instances.get(instance);
        List<String> keys = new ArrayList<>(acknowledged.keySet());
        List<String> missing = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += VERIFY_BATCH) {
            Set<String> batch = new HashSet<>(keys.subList(from, Math.min(keys.size(), from + VERIFY_BATCH)));
            Map<String, String> read = cache.getAll(batch);
            batch.stream().filter(key -> !acknowledged.get(key).equals(read.get(key)))
                    .forEach(key -> missing.add(key + ": " + acknowledged.get(key) + ", got " + read.get(key)));
        }
        return missing;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void work(String worker, String instance, Cache<String, String> cache) {
        for (long seq = 0; running; seq++) {
            String key = worker + "-" + seq;
            String value = "v" + seq;
            if (call("put", instance, key, () -> {
                cache.put(key, value);
                return value;
            }, value)) {
                acknowledge(key, value);
                call("get own", instance, key, () -> cache.get(key), value);
                String earlier = anyAcknowledgedKey();
                call("get earlier", instance, earlier, () -> cache.get(earlier), acknowledged.get(earlier));
            }
        }
    }

    /** Runs one call; records it if it fails or returns something other than {@code expected}. */
    private boolean call(String operation, String instance, String key, Supplier<String> body,
                         String expected) {
        long start = System.nanoTime();
        try {
            String result = body.get();
            if (!Objects.equals(expected, result)) {
                wrongReads.add(new Call(operation, instance, key, start, System.nanoTime(),
                        "returned " + result + " instead of " + expected));
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            failed.add(new Call(operation, instance, key, start, System.nanoTime(), causes(e)));
            return false;
        }
    }

    private static String causes(Throwable error) {
        StringBuilder chain = new StringBuilder(error.toString());
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            chain.append(" <- ").append(cause);
        }
        return chain.toString();
    }

    private void acknowledge(String key, String value) {
        acknowledged.put(key, value);
        synchronized (acknowledgedKeys) {
            acknowledgedKeys.add(key);
        }
        acknowledgements.incrementAndGet();
    }

    private String anyAcknowledgedKey() {
        synchronized (acknowledgedKeys) {
            return acknowledgedKeys.get(ThreadLocalRandom.current().nextInt(acknowledgedKeys.size()));
        }
    }
}
