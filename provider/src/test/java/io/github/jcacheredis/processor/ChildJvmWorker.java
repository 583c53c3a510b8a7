package io.github.jcacheredis.processor;

import io.github.jcacheredis.RedisCachingProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * The second JVM of the two-JVM tests. Arguments: manager URI, namespace, workload ("increment" or
 * "tokens"), threads, operations per thread, and a file for the harvested tokens. Waits for a line on stdin
 * before starting, so both JVMs run at the same time.
 */
public final class ChildJvmWorker {

    private ChildJvmWorker() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        Properties properties = new Properties();
        properties.setProperty("namespace", args[1]);
        String workload = args[2];
        int threads = Integer.parseInt(args[3]);
        int operations = Integer.parseInt(args[4]);
        try (CacheManager manager = new RedisCachingProvider().getCacheManager(uri, ChildJvmWorker.class.getClassLoader(),
                properties)) {
            System.out.println("ready");
            System.out.flush();
            if (System.in.read() < 0) {
                return;
            }
            if (workload.equals("increment")) {
                Cache<String, Long> counters = manager.createCache("counters",
                        new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
                ConcurrentWorkload.increment(counters, threads, operations);
            } else {
                Cache<String, TokenBag> bags = manager.createCache("bags",
                        new MutableConfiguration<String, TokenBag>().setTypes(String.class, TokenBag.class));
                List<String> harvested = ConcurrentWorkload.moveTokens(bags, "child", threads, operations);
                Files.write(Path.of(args[5]), harvested);
            }
        }
        System.out.println("done");
    }
}
