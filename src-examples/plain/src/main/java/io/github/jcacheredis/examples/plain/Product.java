package io.github.jcacheredis.examples.plain;

import java.math.BigDecimal;
import java.time.Instant;

/** A value type as an application would cache it: a record with java.time and BigDecimal fields. */
public record Product(long id, String name, BigDecimal price, Instant updatedAt) {
}
