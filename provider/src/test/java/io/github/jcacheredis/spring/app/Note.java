package io.github.jcacheredis.spring.app;

/** An application value class, in the application's own package. */
public record Note(String id, String text) {
}
