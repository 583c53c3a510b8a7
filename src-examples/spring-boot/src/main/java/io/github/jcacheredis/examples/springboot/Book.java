package io.github.jcacheredis.examples.springboot;

import java.math.BigDecimal;

/** A cached value: a plain record in the application's package, no annotations, not Serializable. */
public record Book(String isbn, String title, String author, BigDecimal price) {

    public Book withPrice(BigDecimal newPrice) {
        return new Book(isbn, title, author, newPrice);
    }
}
