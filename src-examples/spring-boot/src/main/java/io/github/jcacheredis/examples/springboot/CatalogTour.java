package io.github.jcacheredis.examples.springboot;

import io.github.jcacheredis.testsupport.LocalRedis;
import io.github.jcacheredis.testsupport.RespClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the example prints: each call of the cached service, and whether the repository had to
 * answer it or Redis did. Run it again against the same Redis (within the ten minutes the entries
 * live) and the first calls are hits on what the first run cached.
 */
final class CatalogTour {

    static final String EFFECTIVE_JAVA = "978-0134685991";
    static final String UNKNOWN = "978-0000000000";

    private final BookService books;
    private final BookRepository repository;
    private final PrintStream out;

    CatalogTour(BookService books, BookRepository repository, PrintStream out) {
        this.books = books;
        this.repository = repository;
        this.out = out;
    }

    void run(LocalRedis redis, int port) {
        show("find " + EFFECTIVE_JAVA, () -> books.find(EFFECTIVE_JAVA));
        show("find " + EFFECTIVE_JAVA, () -> books.find(EFFECTIVE_JAVA));
        show("find " + UNKNOWN, () -> books.find(UNKNOWN));
        show("find " + UNKNOWN, () -> books.find(UNKNOWN));
        show("byAuthor Joshua Bloch", () -> books.byAuthor("Joshua Bloch"));
        show("byAuthor Joshua Bloch", () -> books.byAuthor("Joshua Bloch"));

        Book saved = books.save(books.find(EFFECTIVE_JAVA).withPrice(new BigDecimal("41.50")));
        out.printf("%-24s -> %s (@CachePut wrote it to Redis)%n", "save at 41.50", describe(saved));
        show("find " + EFFECTIVE_JAVA, () -> books.find(EFFECTIVE_JAVA));
        show("byAuthor Joshua Bloch", () -> books.byAuthor("Joshua Bloch"));

        try (RespClient cli = redis.cli()) {
            String key = "jcache:" + BookService.BOOKS + ":" + EFFECTIVE_JAVA;
            out.println();
            out.println("$ redis-cli GET " + key);
            out.println(cli.callString("GET", key));
            out.println("$ redis-cli PTTL " + key);
            out.println(cli.callString("PTTL", key));
        }
        out.println();
        for (String path : List.of("/actuator/metrics/cache.gets?tag=name:books&tag=result:hit",
                "/actuator/health/jcacheRedis")) {
            out.println("$ curl localhost:" + port + path);
            out.println(httpGet(URI.create("http://localhost:" + port + path)));
        }
    }

    private static String httpGet(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void show(String call, Supplier<Object> invocation) {
        int before = repository.queries();
        Object result = invocation.get();
        String source = repository.queries() == before ? "from Redis" : "from the repository";
        out.printf("%-24s -> %s (%s)%n", call, describe(result), source);
    }

    private static String describe(Object result) {
        if (result instanceof Book book) {
            return book.title() + " at " + book.price();
        }
        if (result instanceof List<?> list) {
            return list.stream().map(CatalogTour::describe).toList().toString();
        }
        return String.valueOf(result);
    }
}
