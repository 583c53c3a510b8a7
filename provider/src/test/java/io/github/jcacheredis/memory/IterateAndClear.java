package io.github.jcacheredis.memory;

import io.github.jcacheredis.RedisCachingProvider;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * Run in a JVM with a small heap: iterates over a cache far larger than the heap, then clears it.
 * Arguments: manager URI, namespace. Prints the number of entries seen.
 */
public final class IterateAndClear {

    private IterateAndClear() {
    }

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("namespace", args[1]);
        try (CacheManager manager = new RedisCachingProvider().getCacheManager(URI.create(args[0]),
                IterateAndClear.class.getClassLoader(), properties)) {
            Cache<Integer, String> cache = manager.createCache("big",
                    new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
            System.out.println("ready");
            System.out.flush();
            if (System.in.read() < 0) {
                return;
            }
            long seen = 0;
            long bytes = 0;
            for (Cache.Entry<Integer, String> entry : cache) {
                seen++;
                bytes += entry.getValue().length();
            }
            cache.clear();
            System.out.println("seen " + seen + " entries, " + bytes + " characters");
        }
        System.out.println("done");
    }
}
