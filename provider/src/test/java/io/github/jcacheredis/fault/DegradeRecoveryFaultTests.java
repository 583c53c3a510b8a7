package io.github.jcacheredis.fault;

import static io.github.jcacheredis.support.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jcacheredis.RedisCacheManager;
import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.TcpProxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Degrade mode undoes the writes it skipped while Redis was unreachable. Recovery itself takes
 * time (here: a clear of a cache of 300,000 entries, skipped during the outage), and
 * writes keep being skipped until it is done: none of them may be forgotten, or the value it
 * meant to replace would be served again once Redis is back.
 */
class DegradeRecoveryFaultTests {

    private static final int OLD_KEYS = 20_000;

    @Test
    void writesSkippedWhileARecoveryIsUnderWayAreUndoneToo() {
        try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes")) {
            redis.call("DEBUG", "POPULATE", "300000", "degrade:big", "8");
            writeOld(redis, "degrade:small:k", OLD_KEYS);
            RedisCacheManager manager = degradingManager(redis.uri(), "degrade");
            try {
                Cache<String, String> big = stringCache(manager, "big");
                Cache<String, String> small = stringCache(manager, "small");

                redis.call("CLIENT", "PAUSE", "1000", "ALL");
                long pauseOver = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000); // Redis answers again after this
                big.put("first", "x"); // times out: Redis counts as unreachable from now on
                assertTrue(manager.skippedWrites() > 0);
                big.clear(); // skipped too: carried out on recovery, which then takes a while

                // keep writing fresh keys of "small" until a write is no longer skipped: the ones
                // skipped meanwhile were skipped while the recovery cleared "big"
                int written = 0;
                int skippedOnceRedisAnswered = 0;
                while (true) {
                    long skippedBefore = manager.skippedWrites();
                    small.put("k" + written, "new");
                    written++;
                    if (manager.skippedWrites() == skippedBefore) {
                        break;
                    }
                    if (System.nanoTime() - pauseOver > 0) {
                        skippedOnceRedisAnswered++;
                    }
                    assertTrue(written < OLD_KEYS - 1, "recovery did not finish while " + OLD_KEYS + " writes were skipped");
                    // pace the writer (about 2,000 skipped writes a second): far fewer than the 10,000
                    // keys recovery keeps, beyond which it clears the whole cache instead
                    LockSupport.parkNanos(400_000);
                }

                assertTrue(skippedOnceRedisAnswered > 0, "no write was skipped while the recovery ran: " + written);
                List<String> stale = new ArrayList<>();
                for (int i = 0; i < written; i++) {
                    Object inRedis = redis.call("GET", "degrade:small:k" + i);
                    if ("\"old\"".equals(inRedis) || "old".equals(small.get("k" + i))) {
                        stale.add("k" + i);
                    }
                }
                assertEquals(0, stale.size(), stale.size() + " of " + written + " keys kept the value a skipped write meant"
                        + " to replace, for example " + stale.subList(0, Math.min(5, stale.size())));
                assertEquals(0L, redis.call("EXISTS", "degrade:big:1"), "the skipped clear was carried out");
                assertEquals("\"old\"", redis.call("GET", "degrade:small:k" + (OLD_KEYS - 1)),
                        "recovery undid the skipped writes key by key, not by clearing the cache they belong to");
            } finally {
                manager.close();
            }
        }
    }

    /**
     * A key whose skipped write a recovery round has just undone, skipped again while that round
     * still runs (here: clearing a cache of 300,000 entries), after another instance wrote it anew:
     * the newer skip is undone in a further round, or that instance's value, which the skipped write
     * meant to replace, would be served once Redis is back.
     */
    @Test
    void aKeySkippedAgainWhileTheRoundThatDeletedItRunsIsDeletedAgain() {
        try (RedisServer redis = RedisServer.start("--enable-debug-command", "yes")) {
            redis.call("DEBUG", "POPULATE", "300000", "again:big", "8");
            redis.call("SET", "again:small:hot", "\"old\""); // there until the round deletes it
            RedisCacheManager manager = degradingManager(redis.uri(), "again");
            try {
                Cache<String, String> big = stringCache(manager, "big");
                Cache<String, String> small = stringCache(manager, "small");

                redis.call("CLIENT", "PAUSE", "1000", "ALL");
                small.put("hot", "new"); // times out: Redis counts as unreachable from now on
                big.clear(); // skipped too: carried out on recovery, after the keys, and it takes a while
                until(() -> Long.valueOf(0).equals(redis.call("EXISTS", "again:small:hot"))); // the round deleted hot
                redis.call("SET", "again:small:hot", "\"elsewhere\""); // another instance's write
                long skippedBefore = manager.skippedWrites();
                small.put("hot", "newer"); // meant to replace it
                assertTrue(manager.skippedWrites() > skippedBefore, "the write was skipped while the round ran");

                until(() -> manager.unreachableSince().isEmpty());
                assertEquals(null, redis.call("GET", "again:small:hot"),
                        "the key keeps the value the write skipped during the round meant to replace");
            } finally {
                manager.close();
            }
        }
    }

    /**
     * More skipped writes than recovery keeps keys for (10,000): the cache they belong to is cleared
     * instead, so no key keeps the value a skipped write meant to replace, even one past the bound.
     */
    @Test
    void moreSkippedWritesThanRecoveryKeepsKeysForClearTheirCache() {
        int keys = 10_050;
        try (RedisServer redis = RedisServer.start(); TcpProxy proxy = TcpProxy.inFrontOf(redis)) {
            writeOld(redis, "overflow:small:k", keys);
            redis.call("SET", "overflow:small:untouched", "\"old\"");
            redis.call("SET", "overflow:other:k0", "\"kept\"");
            RedisCacheManager manager = degradingManager(proxy.uri(), "overflow");
            try {
                Cache<String, String> small = stringCache(manager, "small");
                Cache<String, String> other = stringCache(manager, "other");

                proxy.freeze(); // Redis is out of reach for this manager until every write below was skipped
                small.put("k0", "new"); // times out: Redis counts as unreachable from now on
                for (int i = 1; i < keys; i++) {
                    small.put("k" + i, "new");
                }
                assertTrue(manager.skippedWrites() >= keys, "skipped " + manager.skippedWrites());
                proxy.thaw();

                until(() -> {
                    long skippedBefore = manager.skippedWrites();
                    other.containsKey("probe");
                    small.put("after", "new");
                    return manager.skippedWrites() == skippedBefore;
                });
                List<String> stale = new ArrayList<>();
                for (int i = 0; i < keys; i++) {
                    if ("\"old\"".equals(redis.call("GET", "overflow:small:k" + i))) {
                        stale.add("k" + i);
                    }
                }
                assertEquals(List.of(), stale.subList(0, Math.min(5, stale.size())),
                        stale.size() + " keys kept the value a skipped write meant to replace");
                assertEquals(0L, redis.call("EXISTS", "overflow:small:untouched"), "the cache was cleared");
                assertEquals("kept", other.get("k0"), "another cache is left alone");
            } finally {
                manager.close();
            }
        }
    }

    /** Writes {@code count} keys {@code <prefix><i>} holding the JSON string "old", a thousand per MSET. */
    private static void writeOld(RedisServer redis, String prefix, int count) {
        for (int from = 0; from < count; from += 1000) {
            List<Object> mset = new ArrayList<>(List.of("MSET"));
            for (int i = from; i < Math.min(count, from + 1000); i++) {
                mset.add(prefix + i);
                mset.add("\"old\"");
            }
            redis.call(mset.toArray());
        }
    }

    /** A manager in {@code namespace} with failure-mode=degrade and a 300 ms timeout. */
    private RedisCacheManager degradingManager(String uri, String namespace) {
        Properties properties = new Properties();
        properties.setProperty("namespace", namespace);
        properties.setProperty("failure-mode", "degrade");
        properties.setProperty("timeout", "300");
        return (RedisCacheManager) new RedisCachingProvider()
                .getCacheManager(URI.create(uri), getClass().getClassLoader(), properties);
    }

    private static Cache<String, String> stringCache(RedisCacheManager manager, String name) {
        return manager.createCache(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    }
}
