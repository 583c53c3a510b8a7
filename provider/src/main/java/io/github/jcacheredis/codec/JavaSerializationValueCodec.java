package io.github.jcacheredis.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization, for Serializable-only types such as Hibernate's second-level cache entries.
 * Reading is guarded by an {@link ObjectInputFilter} built from the cache's {@link TypeAllowlist}.
 */
final class JavaSerializationValueCodec implements ValueCodec {

    private static final int MAX_DEPTH = 64;

    private final String cacheName;
    private final Class<?> declaredType;
    private final TypeAllowlist allowlist;
    private final ObjectInputFilter filter;

    JavaSerializationValueCodec(String cacheName, Class<?> declaredType, TypeAllowlist allowlist) {
        this.cacheName = cacheName;
        this.declaredType = declaredType;
        this.allowlist = allowlist;
        this.filter = this::check;
    }

    @Override
    public byte[] encode(Object value) {
        if (!allowlist.isAllowed(value.getClass())) {
            throw new CodecException("Cache[" + cacheName + "] refuses a value of type " + value.getClass().getName()
                    + ": it could not be read back, because the type is neither declared for this cache nor"
                    + " in its allowed-packages");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new CheckedObjectOutputStream(bytes, allowlist)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new CodecException("Cache[" + cacheName + "] uses Java serialization, and " + e.getMessage()
                    + " (a part of the value of type " + value.getClass().getName() + ") is not Serializable", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("Cache[" + cacheName + "] cannot serialize a value of type "
                    + value.getClass().getName() + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes, String redisKey) {
        Object value;
        try (ObjectInputStream in = new FilteredObjectInputStream(new ByteArrayInputStream(bytes), allowlist.classLoader())) {
            in.setObjectInputFilter(filter);
            value = in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new CodecException("Cache[" + cacheName + "] cannot deserialize the value stored at Redis key '"
                    + redisKey + "': " + e.getMessage(), e);
        }
        if (value == null || !declaredType.isInstance(value)) {
            throw new CodecException("Cache[" + cacheName + "] found " + (value == null ? "null" : value.getClass().getName())
                    + " at Redis key '" + redisKey + "' where a " + declaredType.getName() + " was expected");
        }
        return value;
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null || type.isPrimitive()) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        return allowlist.isAllowed(type) ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    }

    /** Refuses to write a class the allowlist would refuse to read, so the put fails, not later gets. */
    private static final class CheckedObjectOutputStream extends ObjectOutputStream {

        private final TypeAllowlist allowlist;
        private boolean aborting;

        CheckedObjectOutputStream(java.io.OutputStream out, TypeAllowlist allowlist) throws IOException {
            super(out);
            this.allowlist = allowlist;
        }

        @Override
        protected void annotateClass(Class<?> type) throws IOException {
            // when a write fails the stream writes the exception into itself: leave that unchecked,
            // so that the first failure is the one reported
            aborting |= Throwable.class.isAssignableFrom(type);
            if (!aborting && !type.isPrimitive() && !allowlist.isAllowed(type)) {
                aborting = true;
                throw new java.io.InvalidClassException(type.getName(), "could not be read back: the type is neither"
                        + " declared for this cache nor in its allowed-packages");
            }
        }
    }

    /** Resolves classes through the cache's class loader, without initialising them first. */
    private static final class FilteredObjectInputStream extends ObjectInputStream {

        private final ClassLoader loader;

        FilteredObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
