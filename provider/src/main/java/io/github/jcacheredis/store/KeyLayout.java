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

    public KeyLayout(String namespace, String cacheName) {
        this.prefix = escapeName(namespace) + ':' + escapeName(cacheName) + ':';
        this.scanPattern = escapeGlob(prefix) + '*';
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
