package io.github.jcacheredis.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The other instances registered on one cache, as this instance knows them: from their
 * announcements as they arrive, and from the registry as the heartbeat reads it. Each is stamped
 * with when this instance learned it ({@link System#nanoTime()}). A registry snapshot is stamped
 * with the moment its read was sent, and replaces only what was learned before that moment: a
 * registration announced (or withdrawn) while the read was on its way is newer than the snapshot,
 * and a refresh never undoes it.
 */
final class RemoteRegistrations {

    /**
     * What is known of one instance: its mask (0 once it withdrew), since when, and until when its
     * lease lasts on the server's clock.
     */
    private record Known(int mask, long learnedAt, long deadline) {
    }

    private final Map<String, Known> known = new HashMap<>();

    /**
     * An instance announced its registration ({@code mask} != 0), leased until {@code deadline} on
     * the server's clock, or its withdrawal (0), at {@code at}.
     */
    synchronized void announced(String origin, int mask, long deadline, long at) {
        known.put(origin, new Known(mask, at, deadline));
    }

    /**
     * Applies a registry snapshot read at {@code serverNow} (the server's clock), whose read was sent
     * at {@code readAt}: {@code live} maps each other instance with an unexpired registration to
     * its mask and lease deadline. A registration missing from the snapshot whose lease, as last
     * known, has not run out is kept: the registry was deleted from outside (FLUSHDB), and its
     * instance registers again at its next renewal; a withdrawal is announced.
     */
    synchronized void refresh(Map<String, Lease> live, long serverNow, long readAt) {
        known.entrySet().removeIf(entry -> learnedBefore(entry.getValue(), readAt) && !live.containsKey(entry.getKey())
                && (entry.getValue().mask == 0 || entry.getValue().deadline <= serverNow));
        live.forEach((origin, lease) -> {
            Known current = known.get(origin);
            if (current == null || learnedBefore(current, readAt)) {
                known.put(origin, new Known(lease.mask(), readAt, lease.deadline()));
            }
        });
    }

    /** A registration as the registry holds it: its mask and lease deadline (server clock). */
    record Lease(int mask, long deadline) {
    }

    /** The masks of the instances registered now (withdrawn ones left out). */
    synchronized List<Integer> masks() {
        List<Integer> masks = new ArrayList<>(known.size());
        known.values().forEach(entry -> {
            if (entry.mask != 0) {
                masks.add(entry.mask);
            }
        });
        return masks;
    }

    private static boolean learnedBefore(Known entry, long moment) {
        return entry.learnedAt - moment < 0;
    }
}
