package io.github.jcacheredis.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How an instance's view of the others' registrations on a cache follows announcements and
 * registry snapshots. Moments are plain numbers standing for {@link System#nanoTime()} values.
 */
class RemoteRegistrationsUnitTests {

    private static final int NEAR = CacheEventBridge.NEAR_CACHE_BIT;
    private static final int LISTENER = 1;

    @Test
    void aRegistrationAnnouncedWhileTheHeartbeatReadWasOnItsWaySurvivesTheStalerSnapshot() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        long readSent = 100; // the heartbeat's read of the registry left before B registered
        remotes.announced("B", NEAR, 150); // B's announcement, confirmed at once
        remotes.refresh(Map.of(), readSent); // the snapshot, without B, arrives and is applied
        assertEquals(List.of(NEAR), remotes.masks());
    }

    @Test
    void aSnapshotReadAfterARegistrationDropsItWhenItsLeaseRanOut() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", NEAR, 100);
        remotes.refresh(Map.of(), 200); // B no longer among the live registrations
        assertEquals(List.of(), remotes.masks());
    }

    @Test
    void aSnapshotAddsWhatWasNotAnnouncedAndUpdatesWhatItKnowsBetter() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", NEAR, 100);
        remotes.refresh(Map.of("B", NEAR | LISTENER, "C", LISTENER), 200);
        assertEquals(List.of(NEAR | LISTENER, LISTENER), remotes.masks().stream().sorted((a, b) -> b - a).toList());
    }

    @Test
    void aWithdrawalAnnouncedAfterTheReadIsNotUndoneByIt() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", LISTENER, 100);
        remotes.announced("B", 0, 250); // B withdrew after the read below was sent
        remotes.refresh(Map.of("B", LISTENER), 200);
        assertEquals(List.of(), remotes.masks());
        remotes.refresh(Map.of(), 300); // a later read agrees, and the withdrawal is forgotten
        assertEquals(List.of(), remotes.masks());
    }

    @Test
    void aRegistrationAnnouncedAfterTheReadKeepsItsOwnMask() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", NEAR | LISTENER, 250);
        remotes.refresh(Map.of("B", NEAR), 200); // the registry still held B's older mask
        assertEquals(List.of(NEAR | LISTENER), remotes.masks());
    }
}
