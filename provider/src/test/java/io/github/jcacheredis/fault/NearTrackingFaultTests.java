package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheConfiguration;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.ChildInstance;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.support.LocalTier;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.Stall;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisClusterMaster;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Near caches learn of every change to their keys from Redis itself (CLIENT TRACKING), whoever
 * makes it: another instance, a client outside the provider, expiry, eviction, a flush. Each case
 * produces the change for real and checks that no near cache serves the old value once the
 * invalidation had time to cross loopback (100 ms), and that a lost tracking connection empties it.
 */
class NearTrackingFaultTests {

    private static final long SEEN_WITHIN_MILLIS = 100;

    @AutoClose
    final Instances instances = new Instances();
    private RedisServer redis;

    @BeforeEach
    void start() {
        redis = RedisServer.start("--maxmemory", "8mb", "--maxmemory-policy", "allkeys-lru");
    }

    @AfterEach
    void stop() {
        instances.close();
        redis.close();
    }

    private CacheManager manager() {
        return manager("1000");
    }

    private CacheManager manager(String timeout) {
        Properties properties = new Properties();
        properties.setProperty("namespace", instances.namespace());
        properties.setProperty("timeout", timeout);
        return instances.add(new RedisCachingProvider().getCacheManager(URI.create(redis.uri()),
                getClass().getClassLoader(), properties));
    }

    private Cache<String, String> nearCache(CacheManager manager) {
        Cache<String, String> existing = manager.getCache("prices", String.class, String.class);
        return existing != null ? existing : manager.createCache("prices",
                new RedisCacheConfiguration<String, String>().nearCache(1_000, null).setTypes(String.class, String.class));
    }

    private String key(String encodedKey) {
        return instances.namespace() + ":prices:" + encodedKey;
    }

    private void awaitServedLocally(Cache<String, String> cache, String key, String value) {
        LocalTier.awaitServedLocally(redis, cache, key, value);
    }

    /** Fails unless {@code read} stops returning {@code stale} within 100 ms of now. */
    private static void seenWithin100Ms(Supplier<String> read, String stale) {
        long start = System.nanoTime();
        while (Objects.equals(read.get(), stale)) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < SEEN_WITHIN_MILLIS, "still served '" + stale + "' " + millis + " ms after the change");
        }
    }

    /**
     * While Redis is known unreachable the local tier is not used, also before its tracking
     * connection has been silent long enough to be found out: a stall (DEBUG SLEEP) shorter than
     * the 3 s silence limit, found out by a call that timed out. Invalidations cannot arrive then.
     */
    @Test
    void aNearCacheIsNotUsedWhileRedisIsKnownUnreachableBeforeTrackingFindsItOut() {
        Cache<String, String> cache = nearCache(manager("300"));
        cache.put("k", "v");
        awaitServedLocally(cache, "k", "v");

        try (Stall stall = redis.stall(Duration.ofMillis(2_000))) {
            assertThrows(CacheException.class, () -> cache.get("other")); // times out: Redis is known unreachable
            assertThrows(CacheException.class, () -> cache.get("k"), "k was served from the near cache");
        }
    }

    @Test
    void writesFromOutsideTheProviderReachEveryNearCache() {
        Cache<String, String> a = nearCache(manager());
        Cache<String, String> b = nearCache(manager());
        a.put("k", "v1");
        awaitServedLocally(a, "k", "v1");
        awaitServedLocally(b, "k", "v1");

        redis.call("SET", key("k"), "\"external\"");
        seenWithin100Ms(() -> a.get("k"), "v1");
        seenWithin100Ms(() -> b.get("k"), "v1");
        awaitServedLocally(a, "k", "external");
        awaitServedLocally(b, "k", "external");

        redis.call("DEL", key("k"));
        seenWithin100Ms(() -> a.get("k"), "external");
        seenWithin100Ms(() -> b.get("k"), "external");
        assertNull(b.get("k"));
    }

    @Test
    void expiryEvictionAndFlushReachEveryNearCache() {
        Cache<String, String> a = nearCache(manager());
        Cache<String, String> b = nearCache(manager());

        redis.call("SET", key("short"), "\"v\"", "PX", "2000");
        awaitServedLocally(a, "short", "v");
        awaitServedLocally(b, "short", "v");
        until(() -> redis.call("EXISTS", key("short")).equals(0L), Duration.ofSeconds(5));
        seenWithin100Ms(() -> b.get("short"), "v");

        a.put("evicted", "v");
        awaitServedLocally(a, "evicted", "v");
        awaitServedLocally(b, "evicted", "v");
        for (int i = 0; redis.call("EXISTS", key("evicted")).equals(1L); i++) {
            redis.call("SET", "filler:" + i, "x".repeat(64 * 1024)); // maxmemory is 8 MB
        }
        seenWithin100Ms(() -> a.get("evicted"), "v");
        seenWithin100Ms(() -> b.get("evicted"), "v");

        a.put("flushed", "v");
        awaitServedLocally(a, "flushed", "v");
        awaitServedLocally(b, "flushed", "v");
        redis.call("FLUSHDB");
        seenWithin100Ms(() -> a.get("flushed"), "v");
        seenWithin100Ms(() -> b.get("flushed"), "v");
    }

    @Test
    void aKilledTrackingConnectionEmptiesTheNearCache() {
        Cache<String, String> cache = nearCache(manager());
        cache.put("k", "v1");
        awaitServedLocally(cache, "k", "v1");
        long before = trackingConnections();
        redis.call("CLIENT", "KILL", "ID", trackingClientId());
        // changed while nothing reports changes: only emptying the tier keeps the old value from being served
        redis.call("SET", key("k"), "\"v2\"");
        until(() -> trackingConnections() == before && !redis.call("CLIENT", "LIST").toString().isEmpty()
                && trackingClientIdOrNull() != null, Duration.ofSeconds(10));
        assertEquals("v2", cache.get("k"));
    }

    /**
     * The network path between an instance and Redis goes silent, nothing closed (the proxy holds
     * every byte both ways), while another instance changes a key the first holds locally. Its
     * tracking connection is pinged every second and a silence of three seconds empties the tier,
     * after which it serves nothing from before, neither while the path is silent nor after.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fail", "degrade"})
    void aNearCacheCutOffByASilentNetworkStopsServingWhatItHeld(String failureMode) {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            Cache<String, String> cutOff = nearCache(instances.open(URI.create(proxy.uri()),
                    Map.of("timeout", "500", "failure-mode", failureMode)));
            Cache<String, String> writer = nearCache(manager());
            writer.put("k", "v1");
            awaitServedLocally(cutOff, "k", "v1");
            proxy.freeze();
            try {
                writer.put("k", "v2"); // its invalidation waits in the proxy
                // three seconds of silence, found by a ping sent every second, plus a loaded machine's slack
                until(() -> !"v1".equals(readOrFailure(cutOff)), Duration.ofSeconds(8));
                for (int i = 0; i < 3; i++) {
                    String read = readOrFailure(cutOff);
                    assertTrue("degrade".equals(failureMode) ? read == null : read.startsWith("failed"),
                            "a read while Redis is out of reach: " + read);
                }
            } finally {
                proxy.thaw();
            }
            until(() -> {
                String read = readOrFailure(cutOff);
                assertTrue(!"v1".equals(read), "served the value from before the silence again");
                return "v2".equals(read);
            }, Duration.ofSeconds(15));
        }
    }

    /**
     * Creating another near-cached cache replaces the manager's tracking connections with ones
     * that track its prefix too. An invalidation still on its way on the old connection (held on
     * the network path, for less than the three seconds of silence that would find the connection
     * out) is lost with it: the near cache it was for must not keep serving the value it replaced.
     */
    @Test
    void anInvalidationOnItsWayWhenAnotherNearCacheIsCreatedIsNotLost() {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            CacheManager manager = instances.open(URI.create(proxy.uri()), Map.of("timeout", "1000"));
            Cache<String, String> cache = nearCache(manager);
            cache.put("k", "v1");
            awaitServedLocally(cache, "k", "v1");
            TcpProxy.Hold onItsWay = proxy.holdRepliesOf("jcache-redis-tracking");
            try {
                redis.call("SET", key("k"), "\"v2\""); // Redis reports it on the tracking connection
                onItsWay.awaitHeld(Duration.ofSeconds(2));
                long heldAt = System.nanoTime();
                manager.createCache("quotes", new RedisCacheConfiguration<String, String>().nearCache(1_000, null)
                        .setTypes(String.class, String.class));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldAt);
                assertTrue(millis < 1_500, "precondition: the connection was replaced before its silence could be"
                        + " found out, not " + millis + " ms after the hold");
                assertEquals("v2", cache.get("k"), "served the value whose invalidation was lost with the old connection");
            } finally {
                onItsWay.release();
            }
        }
    }

    /**
     * A near cache created while no tracking connection can be opened is not used at first; once
     * connections can be opened again, it is, also when the connections of the manager's other
     * near caches stayed healthy throughout.
     */
    @Test
    void aNearCacheCreatedWhileNoTrackingConnectionCanBeOpenedIsUsedOnceOneCan() {
        try (TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            CacheManager manager = instances.open(URI.create(proxy.uri()), Map.of("timeout", "1000"));
            Cache<String, String> first = nearCache(manager);
            first.put("k", "v1");
            awaitServedLocally(first, "k", "v1");
            proxy.refuseConnections(true);
            Cache<String, String> second;
            try {
                second = manager.createCache("quotes", new RedisCacheConfiguration<String, String>()
                        .nearCache(1_000, null).setTypes(String.class, String.class));
                second.put("q", "w1");
                assertEquals("w1", second.get("q"));
                assertTrue(!LocalTier.servesLocally(redis, second, "q", "w1"), "used without a tracking connection");
            } finally {
                proxy.refuseConnections(false);
            }
            LocalTier.awaitServedLocally(redis, second, "q", "w1");
            awaitServedLocally(first, "k", "v1");
        }
    }

    /**
     * On a cluster, new tracking connections are opened one master after another, and the near
     * caches are used again only once all are open. When the new connection to the master opened
     * first is lost while the one to the next is still being opened (that master stalled, for less
     * than the three seconds of silence that would find it out), its loss is reported before the
     * tiers are trusted: they stay set aside until the next check reopens it, so a change to a key
     * of that master, which nothing reports meanwhile, is not hidden by the value it replaced.
     */
    @Test
    void aTrackingConnectionLostWhileTheOthersOpenIsNotTrusted() {
        try (RedisCluster cluster = RedisCluster.start(2);
             CacheManager manager = instances.open(cluster.redisson().provider("timeout", "5000").write(), Map.of())) {
            // the masters in the order the tracking connections are opened in (RedisTopology.masters)
            List<InetSocketAddress> order = manager.unwrap(RedissonClient.class).getRedisNodes(RedisNodes.CLUSTER)
                    .getMasters().stream().map(RedisClusterMaster::getAddr).toList();
            RedisServer openedFirst = cluster.masters().stream().filter(m -> m.port() == order.get(0).getPort())
                    .findFirst().orElseThrow();
            RedisServer openedNext = cluster.masters().stream().filter(m -> m.port() == order.get(1).getPort())
                    .findFirst().orElseThrow();
            String readerOfFirst = "jcache-redis-tracking-" + order.get(0).getHostString() + ":" + order.get(0).getPort();
            String k = IntStream.range(0, 100).mapToObj(i -> "k" + i)
                    .filter(name -> cluster.slotsOf(openedFirst).contains(RedisCluster.slotOf(key(name))))
                    .findFirst().orElseThrow();
            Cache<String, String> cache = nearCache(manager);
            cache.put(k, "v1");
            LocalTier.awaitServedLocally(openedFirst, cache, k, "v1");
            String connectionToFirst = subscribedTrackingClients(openedFirst).iterator().next();
            String connectionToNext = subscribedTrackingClients(openedNext).iterator().next();
            List<Thread> readersBefore = liveThreadsNamed(readerOfFirst);

            try (Stall stall = openedNext.stall(Duration.ofMillis(2_000))) {
                openedFirst.call("CLIENT", "KILL", "ID", connectionToFirst);
                until(() -> readersBefore.stream().noneMatch(Thread::isAlive));
                // the one-second check reopens: the new connection to the first master, then it waits on the stalled one
                until(() -> !subscribedTrackingClients(openedFirst).isEmpty() && !liveThreadsNamed(readerOfFirst).isEmpty());
                String reopened = subscribedTrackingClients(openedFirst).iterator().next();
                List<Thread> reopenedReader = liveThreadsNamed(readerOfFirst);
                openedFirst.call("CLIENT", "KILL", "ID", reopened);
                until(() -> reopenedReader.stream().noneMatch(Thread::isAlive)); // it has reported its loss
                assertTrue(!stall.isOver(), "precondition: the new connection to the first master was lost while the"
                        + " tracking connections were replaced, before the stalled master answered");
            }
            until(() -> {
                Set<String> next = subscribedTrackingClients(openedNext);
                return next.size() == 1 && !next.contains(connectionToNext);
            });
            LocalTier.awaitServedLocally(openedFirst, cache, k, "v1");
            openedFirst.call("SET", key(k), "\"v2\"");
            seenWithin100Ms(() -> cache.get(k), "v1");
            assertEquals("v2", cache.get(k));
        }
    }

    /** The value read, or "failed: ..." when the read threw. */
    private static String readOrFailure(Cache<String, String> cache) {
        try {
            return cache.get("k");
        } catch (CacheException e) {
            return "failed: " + e.getMessage();
        }
    }

    @Test
    void aWriteHeldInFlightWhileAnotherInstanceStartsItsNearCacheReachesIt() throws Exception {
        Cache<String, String> a = nearCache(manager("10s")); // waits out the pause
        CacheManager other = manager();
        a.put("k", "v1");
        redis.pauseClients(Duration.ofMillis(3000), RedisServer.PauseMode.WRITE);
        CompletableFuture<Void> inFlight = CompletableFuture.runAsync(() -> a.put("k", "v2")); // held until the pause ends
        Cache<String, String> b = nearCache(other); // tracking and reads are not paused
        assertEquals("v1", b.get("k"));
        inFlight.get(10, TimeUnit.SECONDS);
        seenWithin100Ms(() -> b.get("k"), "v1");
        assertEquals("v2", b.get("k"));
    }

    @Test
    void aNearCacheNeverOutlivesWhatACustomExpiryPolicySetInRedis() {
        CacheManager manager = manager();
        Cache<String, String> cache = manager.createCache("custom", new RedisCacheConfiguration<String, String>()
                .nearCache(1_000, null).setTypes(String.class, String.class)
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new ShortOnAccess())));
        cache.put("k", "v");
        assertEquals("v", cache.get("k")); // read with ten seconds left, then shortened to 200 ms by the access
        until(() -> redis.call("EXISTS", instances.namespace() + ":custom:k").equals(0L), Duration.ofSeconds(5));
        assertNull(cache.get("k"), "the entry is gone from Redis");
    }

    @Test
    void aNearCacheOfAFrozenInstanceServesNoOldValueOnceItRunsAgain() throws Exception {
        URI uri = URI.create(redis.uri() + "?near-cache=1000");
        try (ChildInstance frozen = ChildInstance.start(uri, instances.namespace())) {
            Cache<String, String> a = nearCache(manager());
            a.put("k", "v1");
            assertEquals("v1", frozen.get("prices", "k"));
            frozen.pause();
            try {
                a.put("k", "v2");
                until(() -> false == redis.call("GET", key("k")).toString().contains("v1"), Duration.ofSeconds(5));
            } finally {
                frozen.resume();
            }
            seenWithin100Ms(() -> frozen.get("prices", "k"), "v1");
        }
    }

    @Test
    void destroyingACacheThisInstanceNeverOpenedEmptiesOtherInstancesNearCaches() {
        Cache<String, String> b = nearCache(manager());
        b.put("k", "v");
        assertEquals("v", b.get("k"));
        manager().destroyCache("prices");
        seenWithin100Ms(() -> b.get("k"), "v");
        assertEquals(false, b.containsKey("k"));
    }

    /** The ids of {@code node}'s tracking connections that are subscribed to the invalidations. */
    private static Set<String> subscribedTrackingClients(RedisServer node) {
        return node.call("CLIENT", "LIST").toString().lines()
                .filter(line -> line.contains(" name=jcache-redis-tracking ") && line.contains(" sub=1 "))
                .map(line -> line.substring(3, line.indexOf(' '))).collect(Collectors.toSet());
    }

    private static List<Thread> liveThreadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).toList();
    }

    private long trackingConnections() {
        return redis.call("CLIENT", "LIST").toString().lines().filter(line -> line.contains("name=jcache-redis-tracking"))
                .count();
    }

    private String trackingClientId() {
        String id = trackingClientIdOrNull();
        assertTrue(id != null, "no tracking connection");
        return id;
    }

    private String trackingClientIdOrNull() {
        List<String> ids = redis.call("CLIENT", "LIST").toString().lines()
                .filter(line -> line.contains("name=jcache-redis-tracking"))
                .map(line -> line.substring(3, line.indexOf(' '))).toList();
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Ten seconds on creation, 200 ms from the first access: a policy the provider must ask. */
    static final class ShortOnAccess implements ExpiryPolicy, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public javax.cache.expiry.Duration getExpiryForCreation() {
            return new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10);
        }

        @Override
        public javax.cache.expiry.Duration getExpiryForAccess() {
            return new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 200);
        }

        @Override
        public javax.cache.expiry.Duration getExpiryForUpdate() {
            return null;
        }
    }
}
