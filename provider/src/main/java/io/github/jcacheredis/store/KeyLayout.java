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
    private final String duePrefix;
    private final String namePart;
    private final String escapedNamespace;
    private final boolean clustered;
    private final boolean sharedWithOtherWriters;

    /** The layout on a Redis Cluster (companion keys share their entry's slot). */
    public KeyLayout(String namespace, String cacheName) {
        this(namespace, cacheName, true);
    }

    /**
     * @param clustered whether the server is a Redis Cluster: companion keys of an entry then carry
     *                  its slot's hash tag; on one server they carry an empty one, so that a cache
     *                  needs one index of due times instead of one per slot
     */
    public KeyLayout(String namespace, String cacheName, boolean clustered) {
        this(escapeName(namespace), escapeName(namespace) + ':' + escapeName(cacheName) + ':',
                escapeName(cacheName) + ':', clustered, false);
    }

    /** The layout of a cache of {@code redis}'s manager: clustered when its config is a cluster's. */
    public static KeyLayout of(String namespace, String cacheName, org.redisson.api.RedissonClient redis) {
        return new KeyLayout(namespace, cacheName, RedisTopology.config(redis).isClusterConfig());
    }

    /** Entries under {@code prefix}, their companions under the namespace's areas plus {@code namePart}. */
    private KeyLayout(String escapedNamespace, String prefix, String namePart, boolean clustered,
                      boolean sharedWithOtherWriters) {
        this.prefix = prefix;
        this.scanPattern = escapeGlob(prefix) + '*';
        this.escapedNamespace = escapedNamespace;
        this.namePart = namePart;
        this.shadowPrefix = escapedNamespace + ":%shadow:" + namePart;
        this.leasePrefix = escapedNamespace + ":%lease:" + namePart;
        this.duePrefix = escapedNamespace + ":%due:" + namePart;
        this.clustered = clustered;
        this.sharedWithOtherWriters = sharedWithOtherWriters;
    }

    /**
     * True when programs other than this provider write these entries (keyv's layout: Node.js
     * services), so an entry may carry a TTL that no policy of this cache gave it.
     */
    public boolean sharedWithOtherWriters() {
        return sharedWithOtherWriters;
    }

    /** The hash tag of an entry's companion keys: its slot's on a cluster, empty on one server. */
    private String tag(String encodedKey) {
        return clustered ? '{' + ClusterSlots.tagFor(ClusterSlots.slot(entryKey(encodedKey))) + '}' : "{}";
    }

    /**
     * The index of due times (a sorted set of encoded keys by the time their entry expires) that
     * holds {@code encodedKey} while expiry is tracked: one per slot on a cluster, in that slot, so
     * one script can keep entry, shadow copy and index in step; one per cache on one server.
     */
    public String dueKey(String encodedKey) {
        return duePrefix + tag(encodedKey);
    }

    /** The index of due times of a slot tag (as the set at {@link #dueTagsKey} lists them). */
    public String dueKeyOfTag(String tag) {
        return duePrefix + '{' + tag + '}';
    }

    /** The slot tag of an index of due times ({@code ""} on one server). */
    public String tagOfDueKey(String dueKey) {
        return dueKey.substring(duePrefix.length() + 1, dueKey.length() - 1);
    }

    /** The prefix of the shadow keys whose index of due times is {@code dueKey}. */
    public String shadowPrefixOfDueKey(String dueKey) {
        return shadowPrefix + dueKey.substring(duePrefix.length());
    }

    /** The slot tag of an entry's companion keys ({@code ""} on one server). */
    public String tagOf(String encodedKey) {
        String tag = tag(encodedKey);
        return tag.substring(1, tag.length() - 1);
    }

    /** True when companion keys carry the slots' hash tags (a cluster). */
    public boolean clustered() {
        return clustered;
    }

    /** Which slots' indexes of due times hold entries, on a cluster: a set of slot tags. */
    public String dueTagsKey() {
        return escapedNamespace + ":%duetags:" + namePart;
    }

    /** The lease of the instance that sweeps this cache's indexes of due times. */
    public String sweeperKey() {
        return escapedNamespace + ":%sweeper:" + namePart;
    }

    /** The SCAN MATCH pattern of this cache's indexes of due times. */
    public String dueScanPattern() {
        return escapeGlob(duePrefix) + '*';
    }

    /**
     * The write lease of an entry (caches with a CacheWriter): outside every cache's key space and,
     * through a hash tag, in the entry's cluster slot, so one script can check it and write.
     */
    public String leaseKey(String encodedKey) {
        return leasePrefix + tag(encodedKey) + encodedKey;
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
        return new KeyLayout(escapeName(namespace), prefix, prefix, true, true);
    }

    /**
     * Where the copy of an entry's value is kept while expiry listeners exist, so that the EXPIRED
     * event can carry it after Redis expired the entry itself. Outside every cache's key space
     * ({@code %s} never starts an encoded name) and, through a hash tag, in the entry's cluster slot.
     */
    public String shadowKey(String encodedKey) {
        return shadowPrefix + tag(encodedKey) + encodedKey;
    }

    /** The SCAN MATCH pattern of this cache's shadow copies. */
    public String shadowScanPattern() {
        return escapeGlob(shadowPrefix) + '*';
    }

    /** The Redis key of the entry whose encoded key is {@code encodedKey}. */
    public String entryKey(String encodedKey) {
        return prefix.concat(encodedKey);
    }

    /** The encoded key of an entry from its Redis key. */
    public String encodedKey(String redisKey) {
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
