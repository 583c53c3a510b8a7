package io.github.jcacheredis.benchmarks;

import io.github.jcacheredis.RedisCachingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * EXPIRED events on a loaded server: how late they come after the entry's TTL, and how many never
 * come. The server holds {@code --volatile} other keys with TTLs (Redis finds expired keys by
 * sampling them) and the cache {@code --entries} entries written before anybody listened, which the
 * listener's registration enrols. Probe entries with a short TTL are put at a steady rate while the
 * enrolment runs and again after it; each probe's delay is the time from its TTL running out to
 * its EXPIRED event arriving. Writes {@code expiry.md}.
 */
final class ExpiryMeasurement {

    static final String REPORT_FILE = "expiry.md";

    private static final String CACHE = "expiry-bench";
    /** The entry keys of {@link #CACHE}: {@code <namespace>:<cache>:<key>}. */
    private static final String ENTRY_PREFIX = RedisEndpoint.NAMESPACE + ":" + CACHE + ":";
    /** The cache's index of due times on one server (how the provider names it, read to follow the enrolment). */
    private static final String DUE_KEY = RedisEndpoint.NAMESPACE + ":%due:" + CACHE + ":{}";
    private static final String VOLATILE_PREFIX = RedisEndpoint.NAMESPACE + ":volatile:";
    private static final long LONG_TTL_MILLIS = TimeUnit.HOURS.toMillis(1);
    private static final int KEYS_PER_SCRIPT = 50_000;
    private static final long WAIT_AFTER_LAST_MILLIS = 30_000;
    private static final String SET_MANY = lua("set_many.lua");
    private static final String UNLINK_MANY = lua("unlink_many.lua");

    /** When each probe's EXPIRED event arrived ({@link System#currentTimeMillis()}), by key. */
    static final Map<String, Long> ARRIVALS = new ConcurrentHashMap<>();
    static final AtomicLong UNEXPECTED = new AtomicLong();

    private ExpiryMeasurement() {
    }

    static void run(String[] arguments) throws Exception {
        Args args = Args.parse(arguments, Set.of("--out", "--volatile", "--entries", "--probes", "--ttl", "--interval"));
        Path out = Output.directory(args, "expiry");
        int volatileKeys = args.ints("--volatile", "1000000").get(0);
        int entries = args.ints("--entries", "1000000").get(0);
        int probes = args.ints("--probes", "2000").get(0);
        long ttl = args.ints("--ttl", "1000").get(0);
        long interval = args.ints("--interval", "10").get(0);
        String machine;
        List<Phase> phases = new ArrayList<>();
        long enrolMillis;
        try (RedisEndpoint.Lease redis = RedisEndpoint.acquire()) {
            machine = Machine.describe(redis.endpoint());
            Files.writeString(out.resolve(Report.MACHINE_FILE), machine);
            RedissonClient raw = Redisson.create(redis.endpoint().redissonConfig());
            CacheManager manager = new RedisCachingProvider().getCacheManager(redis.endpoint().jcacheRedisUri(),
                    ExpiryMeasurement.class.getClassLoader());
            try {
                RScript script = raw.getScript(StringCodec.INSTANCE);
                System.out.printf("writing %,d other volatile keys and %,d entries of the cache%n", volatileKeys, entries);
                forEachRange(volatileKeys, (from, to) -> eval(script, SET_MANY, VOLATILE_PREFIX, from, to, "x", LONG_TTL_MILLIS));
                forEachRange(entries, (from, to) -> eval(script, SET_MANY, ENTRY_PREFIX + "old-", from, to, "\"old\"",
                        LONG_TTL_MILLIS));
                Cache<String, String> cache = manager.createCache(CACHE, new MutableConfiguration<String, String>()
                        .setTypes(String.class, String.class)
                        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, ttl))));

                long started = System.nanoTime();
                cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(new Arrivals()), null, true, false));
                phases.add(probe(cache, "during the enrolment", probes, ttl, interval,
                        () -> enrolledCount(raw, ttl) >= entries));
                enrolMillis = TimeUnit.NANOSECONDS.toMillis(awaitEnrolment(raw, entries, ttl, started));
                phases.add(probe(cache, "after the enrolment", probes, ttl, interval, () -> true));
                manager.destroyCache(CACHE);
            } finally {
                manager.close();
                RScript script = raw.getScript(StringCodec.INSTANCE);
                forEachRange(volatileKeys, (from, to) -> eval(script, UNLINK_MANY, VOLATILE_PREFIX, from, to, "", 0));
                forEachRange(entries, (from, to) -> eval(script, UNLINK_MANY, ENTRY_PREFIX + "old-", from, to, "", 0));
                raw.shutdown();
            }
        }
        Path report = out.resolve(REPORT_FILE);
        Files.writeString(report, markdown(volatileKeys, entries, enrolMillis, ttl, interval, phases, UNEXPECTED.get(), machine));
        System.out.println("results: " + report);
    }

    /**
     * Puts probes {@code interval} ms apart, at least {@code count} and more until {@code done};
     * waits for their events and returns the delays.
     */
    private static Phase probe(Cache<String, String> cache, String name, int count, long ttl, long interval,
            java.util.function.BooleanSupplier done) throws InterruptedException {
        Map<String, Long> deadlines = new ConcurrentHashMap<>();
        for (int i = 0; i < count || !done.getAsBoolean(); i++) {
            String key = name.replace(' ', '-') + "-" + i;
            cache.put(key, "v");
            deadlines.put(key, System.currentTimeMillis() + ttl);
            Thread.sleep(interval);
        }
        long waitUntil = System.currentTimeMillis() + ttl + WAIT_AFTER_LAST_MILLIS;
        while (!ARRIVALS.keySet().containsAll(deadlines.keySet()) && System.currentTimeMillis() < waitUntil) {
            Thread.sleep(100);
        }
        long[] delays = deadlines.entrySet().stream().filter(e -> ARRIVALS.containsKey(e.getKey()))
                .mapToLong(e -> ARRIVALS.get(e.getKey()) - e.getValue()).sorted().toArray();
        Phase phase = new Phase(name, deadlines.size(), delays);
        System.out.println(phase.row());
        return phase;
    }

    /** Entries of the index due later than the probes: those the enrolment has reached. */
    private static long enrolledCount(RedissonClient raw, long ttl) {
        return raw.getScoredSortedSet(DUE_KEY, StringCodec.INSTANCE)
                .count(System.currentTimeMillis() + ttl + 60_000, true, Double.POSITIVE_INFINITY, true);
    }

    /** Waits until all {@code entries} are enrolled; returns the nanoseconds since {@code started}. */
    private static long awaitEnrolment(RedissonClient raw, int entries, long ttl, long started) throws InterruptedException {
        while (enrolledCount(raw, ttl) < entries) {
            Thread.sleep(50);
        }
        return System.nanoTime() - started;
    }

    private interface Range {
        void apply(int from, int to);
    }

    private static void forEachRange(int count, Range range) {
        for (int from = 1; from <= count; from += KEYS_PER_SCRIPT) {
            range.apply(from, Math.min(count, from + KEYS_PER_SCRIPT - 1));
        }
    }

    /** A script kept as a resource next to this class. */
    private static String lua(String name) {
        try (InputStream in = ExpiryMeasurement.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void eval(RScript script, String lua, String prefix, int from, int to, String value, long ttl) {
        script.eval(RScript.Mode.READ_WRITE, lua, RScript.ReturnType.LONG, List.of(), prefix, String.valueOf(from),
                String.valueOf(to), value, String.valueOf(ttl));
    }

    static String markdown(int volatileKeys, int entries, long enrolMillis, long ttl, long interval, List<Phase> phases,
            long unexpected, String machine) {
        StringBuilder md = new StringBuilder("# EXPIRED events\n\n");
        md.append(String.format(Locale.ROOT, "%,d other keys with TTLs in the database; %,d entries of the cache written"
                + " before the listener registered, enrolled in %.1f s (%,.0f entries/s). Probes with a %d ms TTL, one"
                + " put every %d ms; delay from the TTL running out to the EXPIRED event, ms:%n%n", volatileKeys, entries,
                enrolMillis / 1_000.0, entries * 1_000.0 / Math.max(1, enrolMillis), ttl, interval));
        md.append("| probes | put | p50 | p99 | max | lost |\n|--:|:--|--:|--:|--:|--:|\n");
        for (Phase phase : phases) {
            md.append(phase.row()).append('\n');
        }
        md.append(String.format(Locale.ROOT, "%nEXPIRED events for anything but a probe: %d%n", unexpected));
        md.append("\n## Machine\n\n```\n").append(machine).append("```\n");
        return md.toString();
    }

    record Phase(String name, int probes, long[] delays) {

        String row() {
            if (delays.length == 0) {
                return String.format(Locale.ROOT, "| %,d | %s | - | - | - | %,d |", probes, name, probes);
            }
            return String.format(Locale.ROOT, "| %,d | %s | %d | %d | %d | %,d |", probes, name, quantile(0.50),
                    quantile(0.99), delays[delays.length - 1], probes - delays.length);
        }

        private long quantile(double q) {
            return delays[Math.min(delays.length - 1, (int) Math.ceil(q * delays.length) - 1)];
        }
    }

    /** Records when each probe's EXPIRED event arrived; counts any other. */
    static final class Arrivals implements CacheEntryExpiredListener<String, String>, Serializable {

        private static final long serialVersionUID = 1L;

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            long now = System.currentTimeMillis();
            for (CacheEntryEvent<? extends String, ? extends String> event : events) {
                if ("v".equals(event.getOldValue()) && ARRIVALS.putIfAbsent(event.getKey(), now) == null) {
                    continue;
                }
                UNEXPECTED.incrementAndGet();
            }
        }
    }
}
