package io.github.jcacheredis.config;

import java.util.Locale;

/** How a manager lays out its entries in Redis ({@code format=jcache|keyv}). */
public enum EntryFormat {
    /** {@code <namespace>:<cache>:<key>} holding the value's JSON with type ids (the default). */
    JCACHE,
    /**
     * What {@code @keyv/redis} writes, so that Node.js services read and write the same entries:
     * {@code <cache>::<cache>:<key>} holding {@code {"value":...,"expires":...}}.
     */
    KEYV;

    public static EntryFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be 'jcache' or 'keyv', not '" + text + "'", e);
        }
    }
}
