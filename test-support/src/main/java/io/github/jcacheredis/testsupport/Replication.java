package io.github.jcacheredis.testsupport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code INFO} and waits for a replica to catch up with its master. */
final class Replication {

    private Replication() {
    }

    /** {@code INFO <section>} as field to value. */
    static Map<String, String> info(RedisServer server, String section) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : server.call("INFO", section).toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    /**
     * Waits until {@code replica} is a replica with its link up and holds everything its master had
     * when this call began (writes that arrive meanwhile do not keep it waiting).
     */
    static void awaitInSync(RedisServer replica, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Await.until(replica + " knows its master", timeout, () -> "slave".equals(info(replica, "replication").get("role")));
        Map<String, String> link = info(replica, "replication");
        String master = link.get("master_host") + ":" + link.get("master_port");
        long target;
        try (RespClient client = new RespClient(link.get("master_host"), Integer.parseInt(link.get("master_port")))) {
            target = masterOffset(client.call("INFO", "replication").toString());
        }
        Await.until(replica + " is in sync with its master " + master + " at offset " + target,
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                () -> caughtUp(info(replica, "replication"), target),
                () -> info(replica, "replication").toString());
    }

    private static boolean caughtUp(Map<String, String> replication, long target) {
        String offset = replication.get("slave_repl_offset");
        return "up".equals(replication.get("master_link_status")) && offset != null && Long.parseLong(offset) >= target;
    }

    private static long masterOffset(String info) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith("master_repl_offset:")) {
                return Long.parseLong(line.substring("master_repl_offset:".length()));
            }
        }
        throw new IllegalStateException("INFO replication without master_repl_offset: " + info);
    }
}
