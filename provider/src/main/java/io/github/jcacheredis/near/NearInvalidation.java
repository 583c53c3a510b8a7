package io.github.jcacheredis.near;

import java.util.Locale;

/**
 * How a near cache learns that an entry changed in Redis. {@link #AUTO} uses Redis' server-assisted
 * client-side caching (CLIENT TRACKING) where the server allows it, else invalidations published
 * by the writers; {@link #TRACKING} insists on tracking; {@link #PUBLISHED} never asks for it
 * (for proxies or managed services that do not pass CLIENT TRACKING through).
 */
public enum NearInvalidation {
    AUTO, TRACKING, PUBLISHED;

    public static NearInvalidation parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("near-cache-invalidation must be auto, tracking or published, not '"
                    + text + "'", e);
        }
    }
}
