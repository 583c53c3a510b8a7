package io.github.jcacheredis.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.RedisCachingProvider;
import io.github.jcacheredis.support.Instances;
import io.github.jcacheredis.testsupport.RedisCluster;
import io.github.jcacheredis.testsupport.RedisServer;
import io.github.jcacheredis.testsupport.RedissonYaml;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes with replicas. Redisson reads from replicas by default in cluster, sentinel and
 * master/replica configs, so a get right after a put on the same thread could return the value from
 * before the put (issue 12: 2,047 stale reads in 20,000 with one replica). The provider reads from
 * masters unless the config file chooses replica reads with {@code readMode}. Stale reads on
 * loopback are rare (a few per thousand), so besides the put/get loops the tests show where reads
 * go: a replica given a value of its own, and the GETs a cluster's replicas serve.
 */
class ReplicaReadFaultTests {

    private static final int TRIES = 5_000;
    private static final int READS = 200;

    private static RedisServer master;
    private static RedisServer replica;
    private static RedisCluster cluster;

    @AutoClose
    final Instances instances = new Instances();

    @BeforeAll
    static void startServers() {
        master = RedisServer.start();
        replica = RedisServer.startReplicaOf(master);
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stopServers() {
        cluster.close();
        replica.close();
        master.close();
    }

    @Test
    void aGetRightAfterAPutOnTheSameThreadReturnsThePutValueWithAReplica() {
        assertReadsOwnWrites(cache(RedissonYaml.masterSlave(master, replica).write()));
    }

    @Test
    void aGetRightAfterAPutOnTheSameThreadReturnsThePutValueOnAClusterWithReplicas() {
        assertReadsOwnWrites(cache(cluster.redisson().write()));
    }

    @Test
    void byDefaultAReadGoesToTheMasterEvenWhenTheReplicaHoldsAnotherValue() {
        Cache<String, String> cache = cache(RedissonYaml.masterSlave(master, replica).write());
        cache.put("diverged", "from-master");
        divergeReplica("diverged");
        assertEquals("from-master", cache.get("diverged"));
    }

    @Test
    void anExplicitSlaveReadModeReadsFromTheReplica() {
        Cache<String, String> cache = cache(RedissonYaml.masterSlave(master, replica).server("readMode", "SLAVE").write());
        cache.put("diverged", "from-master");
        divergeReplica("diverged");
        assertEquals("from-replica", cache.get("diverged"));
    }

    @Test
    void byDefaultNoReadOnAClusterReachesAReplica() {
        assertEquals(0, getsOnReplicasWhileReading(cache(cluster.redisson().write())));
    }

    @Test
    void anExplicitSlaveReadModeOnAClusterReadsFromTheReplicas() {
        assertEquals(READS, getsOnReplicasWhileReading(cache(cluster.redisson().server("readMode", "SLAVE").write())));
    }

    /** Reads keys spread over every master; returns how many GETs the cluster's replicas served meanwhile. */
    private static long getsOnReplicasWhileReading(Cache<String, String> cache) {
        for (int i = 0; i < READS; i++) {
            cache.put("spread" + i, "v" + i);
        }
        long before = getsOnReplicas();
        for (int i = 0; i < READS; i++) {
            assertEquals("v" + i, cache.get("spread" + i));
        }
        return getsOnReplicas() - before;
    }

    private static long getsOnReplicas() {
        long calls = 0;
        for (RedisServer node : cluster.replicas()) {
            calls += node.commandCalls("get");
        }
        return calls;
    }

    private static void assertReadsOwnWrites(Cache<String, String> cache) {
        int stale = 0;
        for (int i = 0; i < TRIES; i++) {
            String key = "k" + (i % 16);
            String value = String.valueOf(i);
            cache.put(key, value);
            if (!value.equals(cache.get(key))) {
                stale++;
            }
        }
        assertEquals(0, stale, stale + " of " + TRIES + " gets right after a put on the same thread returned an older value");
    }

    /** Gives the replica its own value for {@code key}, so a read shows which server answered it. */
    private void divergeReplica(String key) {
        replica.awaitInSync(Duration.ofSeconds(10));
        String redisKey = instances.namespace() + ":values:" + key;
        String stored = (String) master.call("GET", redisKey);
        replica.call("CONFIG", "SET", "replica-read-only", "no");
        try {
            replica.call("SET", redisKey, stored.replace("from-master", "from-replica"));
        } finally {
            replica.call("CONFIG", "SET", "replica-read-only", "yes");
        }
    }

    private Cache<String, String> cache(URI config) {
        Properties properties = new Properties();
        properties.setProperty("namespace", instances.namespace());
        CacheManager manager = instances.add(new RedisCachingProvider().getCacheManager(config,
                ReplicaReadFaultTests.class.getClassLoader(), properties));
        return manager.createCache("values", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    }
}
