package io.github.jcacheredis.examples.springboot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cached service over HTTP: {@code GET /books/{isbn}} and {@code DELETE /books/{isbn}}. */
@RestController
@RequestMapping("/books")
public class BookController {

    private final BookService books;

    public BookController(BookService books) {
        this.books = books;
    }

    @GetMapping("/{isbn}")
    public ResponseEntity<Book> find(@PathVariable String isbn) {
        Book book = books.find(isbn);
        return book == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(book);
    }

    @DeleteMapping("/{isbn}")
    public ResponseEntity<Void> delete(@PathVariable String isbn) {
        books.delete(isbn);
        return ResponseEntity.noContent().build();
    }
}
