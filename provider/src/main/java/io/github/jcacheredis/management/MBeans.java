package io.github.jcacheredis.management;

import java.lang.management.ManagementFactory;
import java.net.URI;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans on the platform MBeanServer under the names the specification
 * gives: {@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=<uri>,Cache=<name>}.
 * The manager URI in the name never carries a password.
 */
public final class MBeans {

    public enum Kind {
        CONFIGURATION("CacheConfiguration"), STATISTICS("CacheStatistics");

        private final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    private MBeans() {
    }

    public static ObjectName name(Kind kind, URI managerUri, String cacheName) {
        String text = "javax.cache:type=" + kind.type + ",CacheManager=" + safe(withoutPassword(managerUri))
                + ",Cache=" + safe(cacheName);
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new CacheException("invalid MBean name " + text, e);
        }
    }

    public static void register(Object bean, ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (InstanceAlreadyExistsException ignored) {
            // registered concurrently by the same cache
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            throw new CacheException("cannot register MBean " + name, e);
        }
    }

    public static void unregister(ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (InstanceNotFoundException ignored) {
            // unregistered concurrently
        } catch (MBeanRegistrationException e) {
            throw new CacheException("cannot unregister MBean " + name, e);
        }
    }

    /**
     * The specification's escaping ({@code , : = newline} become dots), plus quoting for the
     * characters that would otherwise make the name a pattern or invalid.
     */
    private static String safe(String text) {
        String value = text.replaceAll("[,:=\n]", ".");
        boolean needsQuotes = value.chars().anyMatch(c -> c == '*' || c == '?' || c == '"' || c == '\\');
        return needsQuotes ? ObjectName.quote(value) : value;
    }

    /** The URI without its user-info part, so that no credential leaks into names or logs. */
    public static String withoutPassword(URI uri) {
        String userInfo = uri.getRawUserInfo();
        String text = userInfo == null ? uri.toString() : uri.toString().replace(userInfo + "@", "");
        return text.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
