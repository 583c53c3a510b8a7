package io.github.jcacheredis.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Obtains the constructor that Java serialization uses to allocate an object without running its
 * own class's constructors ({@code sun.reflect.ReflectionFactory}, exported by jdk.unsupported).
 */
final class SerializationConstructors {

    private static final Object FACTORY;
    private static final Method NEW_CONSTRUCTOR;

    static {
        Object factory = null;
        Method method = null;
        try {
            Class<?> type = Class.forName("sun.reflect.ReflectionFactory");
            factory = type.getMethod("getReflectionFactory").invoke(null);
            method = type.getMethod("newConstructorForSerialization", Class.class, Constructor.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            factory = null;
            method = null;
        }
        FACTORY = factory;
        NEW_CONSTRUCTOR = method;
    }

    private SerializationConstructors() {
    }

    /** A constructor allocating {@code type} via Object's constructor, or null when unavailable. */
    static Constructor<?> forClass(Class<?> type) {
        if (FACTORY == null) {
            return null;
        }
        try {
            Constructor<?> objectConstructor = Object.class.getDeclaredConstructor();
            Constructor<?> constructor = (Constructor<?>) NEW_CONSTRUCTOR.invoke(FACTORY, type, objectConstructor);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
