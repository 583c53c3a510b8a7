package io.github.jcacheredis.codec;

import javax.cache.CacheException;

/** A key or value could not be turned into bytes for Redis, or bytes from Redis into an object. */
public final class CodecException extends CacheException {

    private static final long serialVersionUID = 1L;

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    public CodecException(String message) {
        super(message);
    }
}
