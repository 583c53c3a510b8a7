package io.github.jcacheredis.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
     * What is known of one instance: its mask (0 once it withdrew), since when, until when its
     * lease lasts on the server's clock, and whether the registry or an announcement holds it now
     * ({@code listed}) or it is only kept because its lease still lasts although the registry lost
     * it (a FLUSHDB, or a withdrawal this instance did not hear of).
     */
    private record Known(int mask, long learnedAt, long deadline, boolean listed) {
    }

    private final Map<String, Known> known = new HashMap<>();

    /**
     * An instance announced its registration ({@code mask} != 0), leased until {@code deadline} on
     * the server's clock, or its withdrawal (0), at {@code at}.
     */
    synchronized void announced(String origin, int mask, long deadline, long at) {
        known.put(origin, new Known(mask, at, deadline, true));
    }

    /**
     * Applies a registry snapshot read at {@code serverNow} (the server's clock), whose read was sent
     * at {@code readAt}: {@code live} maps each other instance with an unexpired registration to
     * its mask and lease deadline. A registration missing from the snapshot whose lease, as last
     * known, has not run out is kept: the registry was deleted from outside (FLUSHDB), and its
     * instance registers again at its next renewal; a withdrawal is announced.
     */
    synchronized void refresh(Map<String, Lease> live, long serverNow, long readAt) {
        for (Iterator<Map.Entry<String, Known>> it = known.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Known> missing = it.next();
            Known entry = missing.getValue();
            if (!learnedBefore(entry, readAt) || live.containsKey(missing.getKey())) {
                continue;
            }
            if (entry.mask == 0 || entry.deadline <= serverNow) {
                it.remove();
            } else if (entry.listed) {
                missing.setValue(new Known(entry.mask, entry.learnedAt, entry.deadline, false));
            }
        }
        live.forEach((origin, lease) -> {
            Known current = known.get(origin);
            if (current == null || learnedBefore(current, readAt)) {
                known.put(origin, new Known(lease.mask(), readAt, lease.deadline(), true));
            }
        });
    }

    /** A registration as the registry holds it: its mask and lease deadline (server clock). */
    record Lease(int mask, long deadline) {
    }

    /** The masks of the instances registered now (withdrawn ones left out). */
    List<Integer> masks() {
        return masks(false);
    }

    /**
     * The masks of the instances that the registry (or an announcement since it was read) holds now:
     * without those kept only because their lease lasts. A withdrawal this instance missed leaves
     * one of those behind, which must not count where counting it is the unsafe side (deciding that
     * someone else tracks expiry, so that what an earlier tracking period left is kept).
     */
    List<Integer> listedMasks() {
        return masks(true);
    }

    private synchronized List<Integer> masks(boolean listedOnly) {
        List<Integer> masks = new ArrayList<>(known.size());
        known.values().forEach(entry -> {
            if (entry.mask != 0 && (entry.listed || !listedOnly)) {
                masks.add(entry.mask);
            }
        });
        return masks;
    }

    private static boolean learnedBefore(Known entry, long moment) {
        return entry.learnedAt - moment < 0;
    }
}
