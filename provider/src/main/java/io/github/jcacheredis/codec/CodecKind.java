package io.github.jcacheredis.codec;

import java.util.Locale;

/** The value encodings a manager can be configured with ({@code codec=json|java}). */
public enum CodecKind {
    /** Jackson JSON, readable in redis-cli (the default). */
    JSON,
    /** Java serialization behind an ObjectInputFilter, for Serializable-only types. */
    JAVA;

    public static CodecKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("codec must be 'json' or 'java', not '" + text + "'", e);
        }
    }
}
