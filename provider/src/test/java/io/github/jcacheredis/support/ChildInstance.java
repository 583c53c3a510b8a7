package io.github.jcacheredis.support;

import io.github.jcacheredis.testsupport.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Another instance of the application in a JVM of its own: one cache manager on the given Redis
 * and namespace, driven from the test. Values caches hold {@code String}s, counter caches
 * {@code Long}s (one cache name, one kind). {@link #pause()} freezes the whole process with SIGSTOP,
 * as a long GC pause would, and {@link #resume()} thaws it.
 *
 * <p>Protocol, one line each way, tokens separated by spaces and URL-encoded ({@code ~} for null):
 * {@code put cache key value}, {@code get cache key}, {@code remove cache key},
 * {@code increment cache key} (an entry processor), {@code listen cache} (a listener for created,
 * updated, removed and expired events, with old values), {@code exit} (closes the manager). The
 * child answers each command, in order, with {@code @ok [result]} or {@code @error message}, and
 * prints each event as {@code @event TYPE cache key value oldValue}. Other lines are its log.
 */
public final class ChildInstance implements AutoCloseable {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final String NULL = "~";

    private final ChildJvm jvm;
    private final Deque<CompletableFuture<String>> pending = new ArrayDeque<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> log = new ArrayList<>();

    /** A listener event the child received: type, cache, key, value, and old value (null when none). */
    public record Event(String type, String cache, String key, String value, String oldValue) {
    }

    private ChildInstance(ChildJvm jvm) {
        this.jvm = jvm;
        Thread reader = new Thread(this::readOutput, "child-instance-" + jvm.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the JVM and returns once its manager is connected to {@code uri} in {@code namespace}. */
    public static ChildInstance start(URI uri, String namespace) throws IOException {
        return start(uri, namespace, Map.of());
    }

    /**
     * Like {@link #start(URI, String)}, with further provider settings for the child's manager
     * ({@code near-cache}, {@code near-cache-invalidation}, ...).
     */
    public static ChildInstance start(URI uri, String namespace, Map<String, String> settings) throws IOException {
        List<String> args = new ArrayList<>(List.of(uri.toString(), namespace));
        settings.forEach((key, value) -> args.add(key + "=" + value));
        return new ChildInstance(ChildJvm.start(List.of(), ChildInstanceMain.class, args.toArray(String[]::new)));
    }

    public long pid() {
        return jvm.pid();
    }

    public void put(String cache, String key, String value) {
        await(send("put", cache, key, value));
    }

    public String get(String cache, String key) {
        return await(send("get", cache, key));
    }

    public boolean remove(String cache, String key) {
        return Boolean.parseBoolean(await(send("remove", cache, key)));
    }

    /** Adds one to a counter through {@code invoke}; returns the new count. */
    public long increment(String cache, String key) {
        return Long.parseLong(await(send("increment", cache, key)));
    }

    /**
     * Starts adding one to a counter of a write-through cache whose writer writes to the record
     * server {@code records} after {@code writerDelayMillis} ({@link WriteThroughCounters}); the
     * future completes with the new count.
     */
    public CompletableFuture<String> incrementThrough(String cache, String key, RedisServer records,
                                                     long writerDelayMillis) {
        return send("increment-through", cache, key, records.host(), String.valueOf(records.port()),
                String.valueOf(writerDelayMillis));
    }

    /** Registers a listener on {@code cache} that reports its events to {@link #pollEvent}. */
    public void listen(String cache) {
        await(send("listen", cache));
    }

    /**
     * Sends a command without waiting for its answer: the future completes with the result when the
     * child answers (null for none), or fails with the child's error. Works while the child is paused.
     */
    public CompletableFuture<String> send(String command, String... args) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        List<String> tokens = new ArrayList<>();
        tokens.add(command);
        tokens.addAll(Arrays.asList(args));
        synchronized (pending) {
            pending.add(reply);
            jvm.send(encode(tokens));
        }
        return reply;
    }

    /** The next event the child's listeners received, waiting up to {@code timeout}; null if none came. */
    public Event pollEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Freezes the child JVM (SIGSTOP); returns once it is stopped. */
    public void pause() {
        jvm.pause();
    }

    /** Thaws the child JVM (SIGCONT); returns once it runs. */
    public void resume() {
        jvm.resume();
    }

    public boolean isPaused() {
        return jvm.isPaused();
    }

    /** True when a line the child logged (anything it printed that is not an answer or an event) contains {@code text}. */
    public boolean logged(String text) {
        synchronized (log) {
            return log.stream().anyMatch(line -> line.contains(text));
        }
    }

    /**
     * Ends the child at once (SIGKILL, which ends a paused child too), as a crash would: its
     * connections drop and whatever it registered in Redis stays until its lease runs out.
     */
    @Override
    public void close() {
        jvm.close();
    }

    private String await(CompletableFuture<String> reply) {
        try {
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the child JVM " + pid() + " did not answer in " + REPLY_TIMEOUT + "; log: " + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child JVM", e);
        }
    }

    private void readOutput() {
        try {
            String line;
            while ((line = jvm.readLine()) != null) {
                route(line);
            }
        } catch (IOException e) {
            // the stream closes when the child dies
        }
        synchronized (pending) {
            pending.forEach(reply -> reply.completeExceptionally(
                    new IllegalStateException("the child JVM " + pid() + " ended; log: " + log())));
            pending.clear();
        }
    }

    private void route(String line) {
        List<String> tokens = line.startsWith("@") ? decode(line) : List.of();
        String kind = tokens.isEmpty() ? "" : tokens.get(0);
        if (kind.equals("@event") && tokens.size() == 6) {
            events.add(new Event(tokens.get(1), tokens.get(2), tokens.get(3), tokens.get(4), tokens.get(5)));
        } else if (kind.equals("@ok") || kind.equals("@error")) {
            CompletableFuture<String> reply;
            synchronized (pending) {
                reply = pending.poll();
            }
            if (reply == null) {
                addToLog("(an answer to no command) " + line);
                return;
            }
            String result = tokens.size() > 1 ? tokens.get(1) : null;
            if (kind.equals("@ok")) {
                reply.complete(result);
            } else {
                reply.completeExceptionally(new ChildFailure(result));
            }
        } else {
            addToLog(line);
        }
    }

    private void addToLog(String line) {
        synchronized (log) {
            log.add(line);
        }
    }

    private String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    static String encode(List<String> tokens) {
        List<String> encoded = new ArrayList<>();
        tokens.forEach(token -> encoded.add(encode(token)));
        return String.join(" ", encoded);
    }

    static String encode(String token) {
        return token == null ? NULL : URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    static List<String> decode(String line) {
        List<String> tokens = new ArrayList<>();
        for (String token : line.split(" ", -1)) {
            tokens.add(token.equals(NULL) ? null : URLDecoder.decode(token, StandardCharsets.UTF_8));
        }
        return tokens;
    }

    /** A command the child JVM ran failed there; the message names the exception. */
    public static final class ChildFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChildFailure(String message) {
            super(message);
        }
    }
}
