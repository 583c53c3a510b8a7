package io.github.jcacheredis.codec;

import java.io.Closeable;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which classes a value or key payload read from Redis may instantiate: the cache's
 * declared key and value types and their subtypes, JDK value types, and the packages the user
 * allows. Everything else is refused before the class is initialised.
 */
public final class TypeAllowlist {

    /** The allow-everything marker for {@code allowed-packages}; unsafe on a shared Redis. */
    public static final String ANY_PACKAGE = "*";

    private static final Set<String> JDK_CLASSES = Set.of(
            "java.lang.Object", "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Character",
            "java.lang.Number", "java.lang.Enum", "java.lang.Record", "java.net.URI", "java.sql.Date",
            "java.sql.Time", "java.sql.Timestamp",
            // an interface, so nothing to instantiate: admits Serializable[] (Hibernate's cached entity
            // state), whose elements are each checked on their own
            "java.io.Serializable",
            // Spring's marker for a cached null: no fields, resolves to its singleton
            "org.springframework.cache.support.NullValue");

    private static final List<String> JDK_PACKAGES = List.of("java.time.", "java.math.");

    private static final Set<Class<?>> TOO_GENERIC = Set.of(Object.class, Serializable.class, Comparable.class,
            Cloneable.class, Closeable.class, AutoCloseable.class, Iterable.class, Runnable.class);

    private final List<Class<?>> declaredTypes;
    private final List<String> allowedPackages;
    private final boolean allowAll;
    private final ClassLoader classLoader;
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<Decision, Boolean> decisions = new ConcurrentHashMap<>();
    private final ClassValue<Boolean> byClass = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isAllowed(type.getName(), null);
        }
    };

    public TypeAllowlist(List<Class<?>> declaredTypes, List<String> allowedPackages, ClassLoader classLoader) {
        this.declaredTypes = declaredTypes.stream().filter(t -> !TOO_GENERIC.contains(t)).toList();
        this.allowAll = allowedPackages.contains(ANY_PACKAGE);
        this.allowedPackages = allowedPackages.stream().filter(p -> !p.equals(ANY_PACKAGE))
                .map(p -> p.endsWith(".") ? p : p + ".").toList();
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    /** The allowlist for a cache that declares no types: JDK types and the given packages only. */
    public static TypeAllowlist of(List<String> allowedPackages, ClassLoader classLoader) {
        return new TypeAllowlist(List.of(), allowedPackages, classLoader);
    }

    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * True when {@code className} may be instantiated from a payload in a position declared as
     * {@code baseType} (null when unknown).
     */
    public boolean isAllowed(String className, Class<?> baseType) {
        Decision question = new Decision(className, baseType);
        Boolean known = decisions.get(question);
        if (known != null) {
            return known;
        }
        boolean allowed = decide(className, baseType);
        if (decisions.size() < MAX_REMEMBERED) { // hostile payloads cannot grow the memory without bound
            decisions.put(question, allowed);
        }
        return allowed;
    }

    private boolean decide(String className, Class<?> baseType) {
        String name = elementClassName(className);
        if (name == null) {
            return true; // primitive array
        }
        if (allowAll || isJdkValueType(name) || isInAllowedPackage(name)) {
            return true;
        }
        Class<?> type = loadWithoutInitialising(name);
        if (type == null) {
            return false;
        }
        for (Class<?> declared : declaredTypes) {
            if (declared.isAssignableFrom(type)) {
                return true;
            }
        }
        // a specific application base type (say a field typed Animal) admits its own subtypes
        return baseType != null && !TOO_GENERIC.contains(baseType) && !baseType.getName().startsWith("java.")
                && baseType.isAssignableFrom(type);
    }

    /** True when {@code type} itself is allowed (used to refuse a put that could never be read). */
    public boolean isAllowed(Class<?> type) {
        return byClass.get(type);
    }

    /** One question asked of the allowlist; answers are remembered, as every put and get asks again. */
    private record Decision(String className, Class<?> baseType) {
    }

    private boolean isInAllowedPackage(String name) {
        for (String prefix : allowedPackages) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static boolean isJdkValueType(String name) {
        if (JDK_CLASSES.contains(name)) {
            return true;
        }
        for (String prefix : JDK_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        if (name.startsWith("java.util.")) {
            String rest = name.substring("java.util.".length());
            // collections, Date, UUID, Optional, Locale, Currency..., and concurrent collections
            return rest.indexOf('.') < 0
                    || rest.startsWith("concurrent.Concurrent") || rest.startsWith("concurrent.CopyOnWrite")
                    || rest.startsWith("concurrent.atomic.");
        }
        return false;
    }

    /** The element class of an array class name, the name itself otherwise; null for primitives. */
    private static String elementClassName(String className) {
        String name = className;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.startsWith("L") && name.endsWith(";")) {
            return name.substring(1, name.length() - 1);
        }
        if (name.length() == 1 && className.startsWith("[")) {
            return null;
        }
        return name;
    }

    private Class<?> loadWithoutInitialising(String name) {
        try {
            return Class.forName(name, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
