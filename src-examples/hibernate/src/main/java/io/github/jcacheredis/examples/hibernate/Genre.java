package io.github.jcacheredis.examples.hibernate;

/**
 * An application enum mapped by name. Hibernate keeps the enum itself in the cached state of a
 * {@link Book}, which is why the example's package is in the provider's {@code allowed-packages}.
 */
public enum Genre {
    FICTION,
    HISTORY,
    SCIENCE
}
