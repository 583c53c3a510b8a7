package io.github.jcacheredis.store;

import static io.github.jcacheredis.store.StoreContext.ascii;
import static io.github.jcacheredis.store.StoreContext.utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The namespace's registry of which instance listens to which cache (or keeps a near cache of
 * it): a hash of {@code <cache prefix>|<instance id>} to {@code <mask>|<deadline>}. Deadlines are
 * leases on the server's clock ({@code registry_renew.lua}, {@code registry_read.lua}), so that
 * instances whose clocks disagree still agree on whose lease ran out.
 */
public final class ListenerRegistry {

    private static final LuaScript RENEW = LuaScript.load("registry_renew.lua");
    private static final LuaScript READ = LuaScript.load("registry_read.lua");

    private final RMap<String, String> registry;
    private final List<Object> keys;
    private final ScriptRunner scripts;
    private final RedisCalls calls;

    public ListenerRegistry(RedissonClient redis, String namespace) {
        String key = KeyLayout.escapeName(namespace) + ":%listeners";
        this.registry = redis.getMap(key, StringCodec.INSTANCE);
        this.keys = List.of(key);
        this.scripts = new ScriptRunner(redis);
        this.calls = new RedisCalls("namespace " + namespace);
    }

    /** The result of a registration or renewal, on the server's clock. */
    public record Lease(long now, long deadline, long previousDeadline) {

        /** True when the field held a lease that had run out (or none, or it was deleted as long dead). */
        public boolean hadLapsed() {
            return previousDeadline < now;
        }
    }

    /** What the registry held at one moment, and the server's time then. */
    public record Snapshot(long now, Map<String, String> registrations) {
    }

    /** Registers or renews {@code field} with {@code mask} for {@code leaseMillis} from the server's now. */
    public Lease renew(String field, int mask, long leaseMillis) {
        List<Object> reply = calls.call("register", () -> scripts.run(RENEW, keys,
                new Object[] {utf8(field), ascii(mask), ascii(leaseMillis)}));
        long now = (Long) reply.get(0);
        return new Lease(now, now + leaseMillis, (Long) reply.get(1));
    }

    /**
     * Reads every registration whose lease ran out no more than {@code keepMillis} ago, and deletes
     * the older ones (their instances died, or register again when they run) unless
     * {@code readOnly}.
     */
    public Snapshot read(long keepMillis, boolean readOnly) {
        List<Object> reply = calls.call("read registry", () -> scripts.run(READ, keys, new Object[0]));
        long now = (Long) reply.get(0);
        Map<String, String> registrations = new HashMap<>();
        List<String> dead = new ArrayList<>();
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            String field = text(reply.get(i));
            String value = text(reply.get(i + 1));
            int bar = value.indexOf('|');
            long deadline = bar < 0 ? 0 : parseOrZero(value.substring(bar + 1));
            if (deadline < now - keepMillis) {
                dead.add(field);
            } else {
                registrations.put(field, value);
            }
        }
        if (!readOnly && !dead.isEmpty()) {
            calls.call("HDEL", () -> registry.fastRemove(dead.toArray(String[]::new)));
        }
        return new Snapshot(now, registrations);
    }

    private static long parseOrZero(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public void unregister(String field) {
        calls.call("HDEL", () -> registry.fastRemove(field));
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
