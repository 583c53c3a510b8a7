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

    JavaSerializationValueCodec(String cacheName, Class<?> declaredType, TypeAllowlist allowlist) {
        this.cacheName = cacheName;
        this.declaredType = declaredType;
        this.allowlist = allowlist;
    }

    @Override
    public byte[] encode(Object value) {
        if (!allowlist.isAllowed(value.getClass())) {
            throw refused(value, value.getClass());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        Class<?> refusedPart;
        try (CheckedObjectOutputStream out = new CheckedObjectOutputStream(bytes)) {
            out.writeObject(value);
            refusedPart = out.refused;
        } catch (NotSerializableException e) {
            throw new CodecException("Cache[" + cacheName + "] uses Java serialization, and " + e.getMessage()
                    + " (a part of the value of type " + value.getClass().getName() + ") is not Serializable", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("Cache[" + cacheName + "] cannot serialize a value of type "
                    + value.getClass().getName() + ": " + e.getMessage(), e);
        }
        if (refusedPart != null) {
            throw refused(value, refusedPart);
        }
        return bytes.toByteArray();
    }

    private CodecException refused(Object value, Class<?> part) {
        String what = part == value.getClass() ? "" : ", which contains a " + part.getName() + ",";
        return new CodecException("Cache[" + cacheName + "] refuses a value of type " + value.getClass().getName()
                + what + " because it could not be read back: " + part.getName() + " is neither declared for this"
                + " cache nor in its allowed-packages; add its package to allowed-packages");
    }

    @Override
    public Object decode(byte[] bytes, String redisKey) {
        ReadFilter filter = new ReadFilter();
        Object value;
        try (ObjectInputStream in = new FilteredObjectInputStream(new ByteArrayInputStream(bytes), allowlist.classLoader())) {
            in.setObjectInputFilter(filter);
            value = in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            String reason = filter.refusal != null ? filter.refusal : e.getMessage();
            throw new CodecException("Cache[" + cacheName + "] cannot deserialize the value stored at Redis key '"
                    + redisKey + "': " + reason, e);
        }
        if (value == null || !declaredType.isInstance(value)) {
            throw new CodecException("Cache[" + cacheName + "] found " + (value == null ? "null" : value.getClass().getName())
                    + " at Redis key '" + redisKey + "' where a " + declaredType.getName() + " was expected");
        }
        return value;
    }

    /** Admits the classes of the allowlist, and remembers why it refused, for the error message. */
    private final class ReadFilter implements ObjectInputFilter {

        private String refusal;

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH) {
                refusal = "the value is nested deeper than " + MAX_DEPTH + " levels";
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null || type.isPrimitive()) {
                return Status.UNDECIDED;
            }
            if (allowlist.isAllowed(type)) {
                return Status.ALLOWED;
            }
            refusal = "the stream names " + type.getName() + ", which is neither declared for this cache nor in"
                    + " its allowed-packages";
            return Status.REJECTED;
        }
    }

    /**
     * Notes, while writing, the first class the reading side would refuse, so that a put no get could
     * read back fails at once and names the class (Hibernate's entries, for one, nest application
     * types such as enums inside Hibernate's own classes). It only notes: a failing write goes on to
     * write its exception into the stream, whose classes are no part of the value.
     */
    private final class CheckedObjectOutputStream extends ObjectOutputStream {

        private Class<?> refused;

        CheckedObjectOutputStream(ByteArrayOutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> type) {
            if (refused == null && !allowlist.isAllowed(type)) {
                refused = type;
            }
        }

        @Override
        protected void annotateProxyClass(Class<?> type) {
            annotateClass(type);
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
