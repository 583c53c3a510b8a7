package io.github.jcacheredis.examples.springboot;

import java.net.URL;
import java.net.URLClassLoader;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** One running instance of the example application, on a random HTTP port. */
record RunningCatalog(ConfigurableApplicationContext context) implements AutoCloseable {

    /**
     * Starts an instance as a process of its own would have it: JCache keeps providers and their
     * managers per class loader, so an instance with a class loader of its own (as each JVM has)
     * gets its own provider, CacheManager and Redis connections. Two contexts on one class loader
     * would share one manager, and closing either would close it for both.
     *
     * @param properties extra application properties, {@code name=value}
     */
    static RunningCatalog start(String... properties) {
        ClassLoader own = new URLClassLoader("instance", new URL[0], BookCatalogApplication.class.getClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(own);
        try {
            return new RunningCatalog(new SpringApplicationBuilder(BookCatalogApplication.class)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .properties("logging.level.root=warn", "server.port=0")
                    .properties(properties)
                    .run());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    BookService books() {
        return context.getBean(BookService.class);
    }

    int queries() {
        return context.getBean(BookRepository.class).queries();
    }

    javax.cache.CacheManager jcache() {
        return context.getBean(javax.cache.CacheManager.class);
    }

    /** The port the instance serves HTTP on. */
    int port() {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
