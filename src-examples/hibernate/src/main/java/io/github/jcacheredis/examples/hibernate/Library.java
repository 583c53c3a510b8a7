package io.github.jcacheredis.examples.hibernate;

import java.math.BigDecimal;
import java.util.List;
import org.hibernate.Session;

/** What the application does with its data, in the caller's session and transaction. */
public final class Library {

    private Library() {
    }

    public static Author newAuthor(Session session, String name) {
        Author author = new Author(name);
        session.persist(author);
        return author;
    }

    public static Book newBook(Session session, Author author, String isbn, String title) {
        Book book = new Book(isbn, title, new BigDecimal("19.90"), Genre.FICTION, author);
        session.persist(book);
        return book;
    }

    /** The books of an author, by title: a cacheable query, so its results go to the query cache. */
    public static List<Book> booksBy(Session session, String authorName) {
        return session.createSelectionQuery("from Book b where b.author.name = :name order by b.title", Book.class)
                .setParameter("name", authorName)
                .setCacheable(true)
                .getResultList();
    }
}
