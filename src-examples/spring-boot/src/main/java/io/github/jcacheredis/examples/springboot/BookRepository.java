package io.github.jcacheredis.examples.springboot;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Repository;

/**
 * Stands in for the database every instance of the service reads: the slow thing the cache is
 * for. It counts its queries, so the example can show which calls the cache answered.
 */
@Repository
public class BookRepository {

    private final Map<String, Book> books = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();

    public BookRepository() {
        save(new Book("978-0134685991", "Effective Java", "Joshua Bloch", new BigDecimal("45.99")));
        save(new Book("978-0321349606", "Java Concurrency in Practice", "Brian Goetz", new BigDecimal("52.50")));
        save(new Book("978-0321356680", "Java Puzzlers", "Joshua Bloch", new BigDecimal("39.99")));
    }

    /** The book, or null when there is none. */
    public Book find(String isbn) {
        queries.incrementAndGet();
        return books.get(isbn);
    }

    public List<Book> byAuthor(String author) {
        queries.incrementAndGet();
        return books.values().stream().filter(b -> b.author().equals(author))
                .sorted(Comparator.comparing(Book::isbn)).toList();
    }

    public Book save(Book book) {
        books.put(book.isbn(), book);
        return book;
    }

    public void delete(String isbn) {
        books.remove(isbn);
    }

    /** How many queries reached this repository. */
    public int queries() {
        return queries.get();
    }
}
