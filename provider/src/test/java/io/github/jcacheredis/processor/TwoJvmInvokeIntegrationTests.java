package io.github.jcacheredis.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jcacheredis.support.ChildJvm;
import io.github.jcacheredis.support.TestRedis;
import io.github.jcacheredis.support.TestTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Entry processors are atomic across JVMs: two processes hammer the same keys. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.github.jcacheredis.support.TestTarget#both")
class TwoJvmInvokeIntegrationTests {

    @Parameter
    TestTarget target;

    @Test
    void twoJvmsTimesFourThreadsTimesFiveHundredIncrementsEndAtFourThousand() throws Exception {
        String namespace = TestRedis.uniqueNamespace();
        try (CacheManager manager = target.newManager(namespace)) {
            Cache<String, Long> counters = manager.createCache("counters",
                    new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
            ChildJvm child = startChild(namespace, "increment", 4, 500, null);
            child.go();
            ConcurrentWorkload.increment(counters, 4, 500);
            child.awaitDone(120);
            assertEquals(4_000L, counters.get(ConcurrentWorkload.COUNTER));
        }
    }

    @Test
    void aMixOfInvokePutAndRemoveFromTwoJvmsNeverLosesOrDuplicatesAWrite() throws Exception {
        String namespace = TestRedis.uniqueNamespace();
        Path childTokens = Files.createTempFile("harvested", ".txt");
        try (CacheManager manager = target.newManager(namespace)) {
            Cache<String, TokenBag> bags = manager.createCache("bags",
                    new MutableConfiguration<String, TokenBag>().setTypes(String.class, TokenBag.class));
            ChildJvm child = startChild(namespace, "tokens", 4, 150, childTokens);
            child.go();
            List<String> harvested = new ArrayList<>(ConcurrentWorkload.moveTokens(bags, "parent", 4, 150));
            child.awaitDone(120);
            harvested.addAll(Files.readAllLines(childTokens));
            for (int i = 0; i < ConcurrentWorkload.BAG_KEYS; i++) {
                ConcurrentWorkload.harvest(harvested, bags.getAndRemove("bag" + i));
            }

            List<String> minted = new ArrayList<>();
            for (String jvm : List.of("parent", "child")) {
                for (int thread = 0; thread < 4; thread++) {
                    for (int i = 0; i < 150; i++) {
                        minted.add(jvm + "-" + thread + "-" + i);
                    }
                }
            }
            Collections.sort(minted);
            Collections.sort(harvested);
            assertEquals(minted.size(), harvested.size(), "tokens lost or duplicated");
            assertEquals(minted, harvested);
        } finally {
            Files.deleteIfExists(childTokens);
        }
    }

    private ChildJvm startChild(String namespace, String workload, int threads, int operations, Path output)
            throws IOException {
        return ChildJvm.start(List.of(), ChildJvmWorker.class, target.uri().toString(), namespace, workload,
                String.valueOf(threads), String.valueOf(operations), output == null ? "-" : output.toString());
    }
}
