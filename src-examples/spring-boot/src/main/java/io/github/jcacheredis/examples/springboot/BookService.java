package io.github.jcacheredis.examples.springboot;

import java.util.List;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.stereotype.Service;

/**
 * The cached service. Every instance of the application shares the caches through Redis, so what
 * one instance loads is a hit on all the others, and what one updates or evicts is seen by all.
 */
@Service
public class BookService {

    static final String BOOKS = "books";
    static final String BY_AUTHOR = "books-by-author";

    private final BookRepository repository;

    public BookService(BookRepository repository) {
        this.repository = repository;
    }

    /** A book by ISBN. An unknown ISBN is cached too (as null), so it is not asked again either. */
    @Cacheable(BOOKS)
    public Book find(String isbn) {
        return repository.find(isbn);
    }

    /**
     * With sync = true Spring loads a missing entry through the cache itself (JCache's invoke), and
     * every caller gets the value stored first.
     */
    @Cacheable(cacheNames = BY_AUTHOR, sync = true)
    public List<Book> byAuthor(String author) {
        return repository.byAuthor(author);
    }

    /** Saves a book and caches it as saved; the author's list is stale, so it goes. */
    @Caching(put = @CachePut(cacheNames = BOOKS, key = "#book.isbn()"),
            evict = @CacheEvict(cacheNames = BY_AUTHOR, key = "#book.author()"))
    public Book save(Book book) {
        return repository.save(book);
    }

    /** Deletes a book: its entry goes, and so do all the author lists. */
    @Caching(evict = {@CacheEvict(BOOKS), @CacheEvict(cacheNames = BY_AUTHOR, allEntries = true)})
    public void delete(String isbn) {
        repository.delete(isbn);
    }
}
