package io.github.jcacheredis.support;

import io.github.jcacheredis.RedisCachingProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * The second JVM of {@link ChildInstance}: one cache manager, driven by command lines on standard
 * input, answering each with a {@code @ok} or {@code @error} line and reporting listener events as
 * {@code @event} lines. Arguments: manager URI, namespace, then further provider settings as
 * {@code key=value}. The protocol is in {@link ChildInstance}.
 */
public final class ChildInstanceMain {

    private static final PrintStream OUT = System.out;

    private final CacheManager manager;
    private final Map<String, Cache<String, String>> values = new HashMap<>();
    private final Map<String, Cache<String, Long>> counters = new HashMap<>();

    private ChildInstanceMain(CacheManager manager) {
        this.manager = manager;
    }

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("namespace", args[1]);
        for (String setting : Arrays.asList(args).subList(2, args.length)) {
            int equals = setting.indexOf('=');
            properties.setProperty(setting.substring(0, equals), setting.substring(equals + 1));
        }
        try (CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create(args[0]),
                ChildInstanceMain.class.getClassLoader(), properties)) {
            ChildInstanceMain instance = new ChildInstanceMain(manager);
            reply("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                instance.answer(ChildInstance.decode(line));
            }
        }
    }

    private void answer(List<String> command) {
        try {
            String result = run(command.get(0), command.subList(1, command.size()));
            reply(result == null ? "@ok" : "@ok " + ChildInstance.encode(result));
        } catch (RuntimeException e) {
            reply("@error " + ChildInstance.encode(e.getClass().getName() + ": " + e.getMessage()));
        }
    }

    private String run(String verb, List<String> args) {
        switch (verb) {
            case "put":
                values(args.get(0)).put(args.get(1), args.get(2));
                return null;
            case "get":
                return values(args.get(0)).get(args.get(1));
            case "remove":
                return String.valueOf(values(args.get(0)).remove(args.get(1)));
            case "increment":
                Long count = counters(args.get(0)).invoke(args.get(1), (entry, unused) -> {
                    entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
                    return entry.getValue();
                });
                return count.toString();
            case "increment-through":
                // a counter whose writer writes to the record server at args 2 and 3, slowly (arg 4 ms)
                return writeThrough(args.get(0), args.get(2), Integer.parseInt(args.get(3)), Long.parseLong(args.get(4)))
                        .invoke(args.get(1), (entry, unused) -> {
                            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
                            return entry.getValue();
                        }).toString();
            case "listen":
                values(args.get(0)).registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(new EchoListener(args.get(0))), null, true, false));
                return null;
            default:
                throw new IllegalArgumentException("unknown command '" + verb + "'");
        }
    }

    private Cache<String, String> values(String name) {
        return values.computeIfAbsent(name, n -> open(n, String.class));
    }

    private Cache<String, Long> counters(String name) {
        return counters.computeIfAbsent(name, n -> open(n, Long.class));
    }

    private Cache<String, Long> writeThrough(String name, String host, int port, long delayMillis) {
        return counters.computeIfAbsent(name, n -> manager.createCache(n, WriteThroughCounters.configuration(host, port,
                delayMillis)));
    }

    private <V> Cache<String, V> open(String name, Class<V> valueType) {
        Cache<String, V> cache = manager.getCache(name, String.class, valueType);
        return cache != null ? cache
                : manager.createCache(name, new MutableConfiguration<String, V>().setTypes(String.class, valueType));
    }

    private static void reply(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    /** Prints every event of one cache as an {@code @event} line. */
    private static final class EchoListener implements CacheEntryCreatedListener<String, String>,
            CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
            CacheEntryExpiredListener<String, String>, Serializable {

        private static final long serialVersionUID = 1L;

        private final String cache;

        EchoListener(String cache) {
            this.cache = cache;
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            echo(events);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            echo(events);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            echo(events);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            echo(events);
        }

        private void echo(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            for (CacheEntryEvent<? extends String, ? extends String> event : events) {
                reply("@event " + ChildInstance.encode(Arrays.asList(event.getEventType().name(), cache, event.getKey(),
                        event.getValue(), event.isOldValueAvailable() ? event.getOldValue() : null)));
            }
        }
    }
}
