package io.github.jcacheredis.store;

/**
 * Where a cache's entries live in Redis: {@code <namespace>:<cache>:<key>}. In the namespace and
 * cache name, {@code %}, {@code :}, <code>{</code> and <code>}</code> are percent-encoded, so the
 * two separators are unambiguous (no two caches share a key) and no cache pins itself to one
 * cluster slot through a hash tag. SCAN patterns escape the glob characters of the prefix.
 */
public final class KeyLayout {

    private final String prefix;
    private final String scanPattern;
    private final String shadowPrefix;
    private final String leasePrefix;

    public KeyLayout(String namespace, String cacheName) {
        this(escapeName(namespace), escapeName(namespace) + ':' + escapeName(cacheName) + ':',
                escapeName(cacheName) + ':');
    }

    /** Entries under {@code prefix}, their shadow copies under the namespace's shadow area plus {@code shadowName}. */
    private KeyLayout(String escapedNamespace, String prefix, String shadowName) {
        this.prefix = prefix;
        this.scanPattern = escapeGlob(prefix) + '*';
        this.shadowPrefix = escapedNamespace + ":%shadow:" + shadowName;
        this.leasePrefix = escapedNamespace + ":%lease:" + shadowName;
    }

    /**
     * The write lease of an entry (caches with a CacheWriter): outside every cache's key space and,
     * through a hash tag, in the entry's cluster slot, so one script can check it and write.
     */
    public String leaseKey(String keySegment) {
        return leasePrefix + '{' + ClusterSlots.tagFor(ClusterSlots.slot(entryKey(keySegment))) + '}' + keySegment;
    }

    /**
     * The layout {@code @keyv/redis} uses for a Keyv whose namespace is the cache name:
     * {@code <cache>::<cache>:<key>}, the name encoded as above. An encoded name has no {@code :},
     * so the first {@code ::} ends it and no two caches share a key. Shadow copies stay under the
     * manager's namespace, apart from those of the default layout (which follow the name with
     * <code>{</code>, these with {@code :}).
     */
    public static KeyLayout keyv(String namespace, String cacheName) {
        String name = escapeName(cacheName);
        String prefix = name + "::" + name + ':';
        return new KeyLayout(escapeName(namespace), prefix, prefix);
    }

    /**
     * Where the copy of an entry's value is kept while expiry listeners exist, so that the EXPIRED
     * event can carry it after Redis expired the entry itself. Outside every cache's key space
     * ({@code %s} never starts an encoded name) and, through a hash tag, in the entry's cluster slot.
     */
    public String shadowKey(String keySegment) {
        String entryKey = entryKey(keySegment);
        return shadowPrefix + '{' + ClusterSlots.tagFor(ClusterSlots.slot(entryKey)) + '}' + keySegment;
    }

    /** The SCAN MATCH pattern of this cache's shadow copies. */
    public String shadowScanPattern() {
        return escapeGlob(shadowPrefix) + '*';
    }

    /** The keyspace-notification pattern for this cache's entries, in any database. */
    public String keyspacePattern() {
        return "__keyspace@*__:" + scanPattern;
    }

    /** The entry key in a keyspace-notification channel name, or null when it is not one of ours. */
    public String entryKeyOfNotification(String channel) {
        int colon = channel.indexOf("__:");
        if (!channel.startsWith("__keyspace@") || colon < 0) {
            return null;
        }
        String key = channel.substring(colon + 3);
        return key.startsWith(prefix) ? key : null;
    }

    /** The Redis key of the entry whose encoded key is {@code keySegment}. */
    public String entryKey(String keySegment) {
        return prefix.concat(keySegment);
    }

    /** The encoded key of an entry from its Redis key. */
    public String keySegment(String redisKey) {
        if (!redisKey.startsWith(prefix)) {
            throw new IllegalArgumentException("'" + redisKey + "' is not an entry key under '" + prefix + "'");
        }
        return redisKey.substring(prefix.length());
    }

    /** The prefix every entry key of the cache starts with. */
    public String prefix() {
        return prefix;
    }

    /** The SCAN MATCH pattern that matches exactly this cache's entry keys. */
    public String scanPattern() {
        return scanPattern;
    }

    /** A namespace or cache name as it appears in Redis keys. */
    public static String escapeName(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            String replacement = switch (c) {
                case '%' -> "%25";
                case ':' -> "%3A";
                case '{' -> "%7B";
                case '}' -> "%7D";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(name.length() + 8).append(name, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? name : out.toString();
    }

    static String escapeGlob(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
