package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.support.EventRecorder;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.Await;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a degrade-mode instance undoes once Redis is back reaches the other instances: it deletes
 * the entries it may have missed writing, so that nobody is served the values those writes meant
 * to replace. Instance A reaches Redis through a proxy that holds its write (A alone finds Redis
 * unreachable); instance B talks to Redis directly.
 */
class RecoveryUndoFaultTests {

    /** The TTL of the entries whose expiry is tracked: long enough for A to recover first. */
    private static final long TTL_MILLIS = 4_000;

    private static RedisServer redis;
    private static TcpProxy proxy;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        proxy = TcpProxy.inFrontOf(redis);
    }

    @AfterAll
    static void stopRedis() {
        proxy.close();
        redis.close();
    }

    /**
     * B keeps a near cache invalidated by what writers publish. A's put of the entry gets no reply,
     * so A deletes the entry once Redis answers again: B's near cache must drop it too, or B would
     * go on serving a value that Redis no longer holds.
     */
    @Test
    void anotherInstancesNearCacheDropsAnEntryThatRecoveryDeletes() {
        OnA onA = degradingInstance("near", config());
        String name = onA.name();
        String key = onA.key();
        RedisCacheManager a = onA.manager();
        Cache<String, String> atA = onA.cache();
        Cache<String, String> atB = instances.open(URI.create(redis.uri()), Instances.NEAR_CACHE_PUBLISHED)
                .createCache(name, config());
        Await.until("B serves k from its near cache", Duration.ofSeconds(10), () -> {
            atA.put("k", "old");
            atB.get("k");
            redis.call("SET", key, "\"unpublished\""); // a write B's near cache does not hear of
            return "old".equals(atB.get("k"));
        });

        loseAWriteOfA(a, atA, key);

        Await.until("B's near cache drops k once A's recovery deleted it from Redis", Duration.ofSeconds(5),
                () -> atB.get("k") == null);
    }

    /**
     * The same while A's deletion of the entry is held on its way to Redis (for less than A's
     * timeout): B, reading the entry meanwhile, must not learn of the deletion before it is done, or
     * it would read the value still in Redis into its near cache again and serve it once the entry
     * is gone.
     */
    @Test
    void anotherInstancesNearCacheIsToldOfARecoveryDeletionOnlyOnceItIsDone() {
        OnA onA = degradingInstance("near-held", config(), 3_000);
        String key = onA.key();
        Cache<String, String> atA = onA.cache();
        Cache<String, String> atB = instances.open(URI.create(redis.uri()), Instances.NEAR_CACHE_PUBLISHED)
                .createCache(onA.name(), config());
        Await.until("B serves k from its near cache", Duration.ofSeconds(10), () -> {
            atA.put("k", "old");
            atB.get("k");
            redis.call("SET", key, "\"unpublished\""); // a write B's near cache does not hear of
            return "old".equals(atB.get("k"));
        });
        TcpProxy.Hold deletion = proxy.holdRequest("UNLINK"); // what A's recovery sends first

        dropAWriteOfA(onA.manager(), key, () -> atA.put("k", "new"));
        deletion.awaitHeld(Duration.ofSeconds(10));
        long readUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // a window for B to refill its near cache
        while (System.nanoTime() - readUntil < 0 && "old".equals(atB.get("k"))) {
            LockSupport.parkNanos(1_000_000);
        }
        deletion.release();
        awaitRecovered(onA.manager(), key);

        Await.until("B's near cache drops k once A's recovery deleted it from Redis", Duration.ofSeconds(5),
                () -> atB.get("k") == null);
    }

    /**
     * B listens for EXPIRED events, so each write keeps a shadow copy of the entry and its due time.
     * Deleting an entry at recovery is no expiry: like a clear, it must leave neither behind, or
     * the entry would be reported EXPIRED, with the value A meant to replace, when its time came.
     */
    @Test
    void anEntryThatRecoveryDeletesIsNotReportedAsExpired() throws Exception {
        MutableConfiguration<String, String> config = config()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(
                        TimeUnit.MILLISECONDS, TTL_MILLIS)));
        OnA onA = degradingInstance("expiry", config);
        String name = onA.name();
        String key = onA.key();
        RedisCacheManager a = onA.manager();
        Cache<String, String> atA = onA.cache();
        Cache<String, String> atB = instances.open(URI.create(redis.uri()), Map.of()).createCache(name, config);
        EventRecorder expired = EventRecorder.register(atB, false);
        long createdAt = System.nanoTime();
        atB.put("k", "old");
        assertEquals("CREATED k null->old", expired.next("CREATED", 5));

        loseAWriteOfA(a, atA, key);
        assertTrue(System.nanoTime() - createdAt < TimeUnit.MILLISECONDS.toNanos(TTL_MILLIS),
                "A recovered before k's TTL ran out, so k did not expire");
        atB.put("later", "v"); // due after k would have been

        List<String> events = new ArrayList<>();
        String event;
        do {
            event = expired.next("EXPIRED", 10);
            events.add(event);
        } while (!event.startsWith("EXPIRED later "));
        assertEquals(List.of("EXPIRED later v->v"), events, "EXPIRED events up to the entry written later");
    }

    /**
     * A put whose outcome this instance's own listener would be told is not taken for skipped when
     * no reply came: the call says its outcome is unknown, as a remove or replace does. The entry
     * is still deleted once Redis is back.
     */
    @Test
    void aPutWhoseOutcomeAListenerOfThisInstanceWouldHearSaysItIsUnknown() {
        OnA onA = degradingInstance("listened", config());
        Cache<String, String> atA = onA.cache();
        // an UPDATED listener only: one for EXPIRED would start enrolling the entries, whose
        // commands name k too and could be the request the proxy holds
        atA.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(UpdatedListener.class), null, false, true));
        atA.put("k", "old");

        loseAWriteOfA(onA.manager(), onA.key(), () -> {
            CacheException unknown = assertThrows(CacheException.class, () -> atA.put("k", "new"));
            assertTrue(unknown.getMessage().contains("unknown"), unknown.getMessage());
        });
    }

    /**
     * A write that applies only to a present entry (replace, an invoke that changes one) says its
     * outcome is unknown when no reply came, and its entry is deleted once Redis is back as a put's
     * is, so that no instance goes on being served the value it meant to replace.
     */
    @ParameterizedTest
    @ValueSource(strings = {"replace", "invoke"})
    void aWriteOfAPresentEntryWhoseOutcomeIsUnknownHasItsEntryDeletedOnceRedisIsBack(String write) {
        OnA onA = degradingInstance(write, config());
        Cache<String, String> atA = onA.cache();
        atA.put("k", "old");
        String value = "replacement-" + System.nanoTime(); // only the write's request carries it

        loseAWriteOfA(onA.manager(), onA.key(), value, () -> {
            CacheException unknown = assertThrows(CacheException.class, () -> {
                if (write.equals("replace")) {
                    atA.replace("k", value);
                } else {
                    atA.invoke("k", (entry, arguments) -> {
                        entry.setValue(value);
                        return null;
                    });
                }
            });
            assertTrue(String.valueOf(unknown).contains("unknown"), String.valueOf(unknown));
        });
    }

    /**
     * A write-through put that took its entry's lease while Redis was unreachable holds no lease in
     * Redis: nothing fences its write. When Redis is back by the time its writer returns, and
     * another instance has written the entry meanwhile (its writer after A's), A's put must not
     * overwrite that: it is skipped, and the entry deleted, so that the next read goes to the
     * system of record instead of finding the older value there.
     */
    @Test
    void aWriteThroughPutBegunWhileRedisWasUnreachableDoesNotOverwriteALaterWrite() throws Exception {
        MutableConfiguration<String, String> config = config().setWriteThrough(true)
                .setCacheWriterFactory(FactoryBuilder.factoryOf(HeldWriter.class));
        OnA onA = degradingInstance("write-through", config);
        RedisCacheManager a = onA.manager();
        Cache<String, String> atB = instances.open(URI.create(redis.uri()), Map.of()).createCache(onA.name(), config);
        HeldWriter.reset();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            proxy.freeze();
            onA.cache().get("probe"); // no reply: A takes Redis for unreachable, and acts as empty
            assertTrue(a.unreachableSince().isPresent(), "A takes Redis for unreachable");
            Future<?> put = thread.submit(() -> onA.cache().put("k", "fromA"));
            assertTrue(HeldWriter.writing.await(5, TimeUnit.SECONDS), "A's writer was called");
            proxy.thaw();
            Await.until("A is back", Duration.ofSeconds(10), () -> a.unreachableSince().isEmpty());
            atB.put("k", "fromB");

            HeldWriter.release.countDown();
            put.get(10, TimeUnit.SECONDS);
        } finally {
            proxy.thaw();
            HeldWriter.release.countDown();
            thread.shutdownNow();
        }
        assertEquals(List.of("fromA", "fromB"), HeldWriter.written, "the system of record got B's value last");
        Object cached = redis.call("GET", onA.key());
        assertTrue(cached == null || "\"fromB\"".equals(cached), "the cache holds " + cached
                + " where the system of record holds fromB");
    }

    /** Records what it writes, in order; holds the write of "fromA" until released. */
    public static final class HeldWriter implements CacheWriter<String, String>, Serializable {
        private static final long serialVersionUID = 1L;
        static final List<String> written = new CopyOnWriteArrayList<>();
        static CountDownLatch writing = new CountDownLatch(1);
        static CountDownLatch release = new CountDownLatch(1);

        static void reset() {
            written.clear();
            writing = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            written.add(entry.getValue());
            if (entry.getValue().equals("fromA")) {
                writing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            entries.forEach(this::write);
        }

        @Override
        public void delete(Object key) {
        }

        @Override
        public void deleteAll(Collection<?> keys) {
        }
    }

    /** Instance A, in degrade mode behind the proxy, with a new cache of {@code config}. */
    private OnA degradingInstance(String name, MutableConfiguration<String, String> config) {
        return degradingInstance(name, config, 300);
    }

    /** Instance A, in degrade mode behind the proxy with a timeout of {@code timeoutMillis}, with a new cache of {@code config}. */
    private OnA degradingInstance(String name, MutableConfiguration<String, String> config, long timeoutMillis) {
        RedisCacheManager a = instances.open(URI.create(proxy.uri()), Map.of("failure-mode", "degrade", "timeout",
                        String.valueOf(timeoutMillis))).unwrap(RedisCacheManager.class);
        String cacheName = name + "-" + System.nanoTime();
        return new OnA(cacheName, instances.namespace() + ":" + cacheName + ":k", a, a.createCache(cacheName, config));
    }

    /** Hears updates, and does nothing with them. */
    public static final class UpdatedListener implements CacheEntryUpdatedListener<String, String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        }
    }

    /** A's cache: its name, the Redis key of its entry k, A's manager, and the cache. */
    private record OnA(String name, String key, RedisCacheManager manager, Cache<String, String> cache) {
    }

    /** A's put of {@code key}, which nobody is told the outcome of, never reaches Redis ({@link #loseAWriteOfA(RedisCacheManager, String, Runnable)}). */
    private static void loseAWriteOfA(RedisCacheManager a, Cache<String, String> atA, String key) {
        loseAWriteOfA(a, key, () -> atA.put("k", "new")); // nobody told its outcome: counted as skipped
    }

    /**
     * {@code put} of {@code key} reaches Redis never: the proxy holds it until A has given up on its
     * reply (no reply: A counts Redis unreachable, and will delete the entry once it answers), then
     * cuts its connection. Returns once A has recovered.
     */
    private static void loseAWriteOfA(RedisCacheManager a, String key, Runnable put) {
        loseAWriteOfA(a, key, key, put);
    }

    /** {@link #loseAWriteOfA(RedisCacheManager, String, Runnable)} for the write whose request carries {@code marker}. */
    private static void loseAWriteOfA(RedisCacheManager a, String key, String marker, Runnable put) {
        dropAWriteOfA(a, marker, put);
        awaitRecovered(a, key);
    }

    /**
     * {@code put}, whose request carries {@code marker}, never reaches Redis: the proxy holds it until
     * A has given up on its reply, then cuts its connection. A's recovery begins once its probe finds
     * Redis back.
     */
    private static void dropAWriteOfA(RedisCacheManager a, String marker, Runnable put) {
        long skippedBefore = a.skippedWrites();
        TcpProxy.Hold hold = proxy.holdRequest(marker);
        put.run();
        assertTrue(hold.isHolding(), "A's write is held on its way");
        assertTrue(a.skippedWrites() > skippedBefore, "A recorded its write as possibly missed");
        // the held write's connection, and any other that carried the marker before (idle: it reconnects)
        assertTrue(proxy.cut(marker) >= 1, "the connection of the held write, which never reaches Redis");
    }

    /** Returns once A has recovered, having deleted {@code key}. */
    private static void awaitRecovered(RedisCacheManager a, String key) {
        Await.until("A is back", Duration.ofSeconds(10), () -> a.unreachableSince().isEmpty());
        assertEquals(0L, redis.call("EXISTS", key), "A's recovery deleted k");
    }

    private static MutableConfiguration<String, String> config() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }
}
