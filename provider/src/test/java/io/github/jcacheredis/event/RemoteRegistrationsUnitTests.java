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
    /** The server's clock when the snapshots were read, and a lease deadline after it. */
    private static final long NOW = 1_000_000;
    private static final long DEADLINE = NOW + 10_000;

    private static RemoteRegistrations.Lease lease(int mask) {
        return new RemoteRegistrations.Lease(mask, DEADLINE);
    }

    /**
     * The registry deleted from outside (FLUSHDB): a snapshot without B, read while B's lease still
     * lasts, does not drop B, which registers again at its next renewal; once the lease ran out, it does.
     */
    @Test
    void aRegistrationMissingFromTheRegistryIsKeptUntilItsLeaseRunsOut() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", LISTENER, DEADLINE, 100);
        remotes.refresh(Map.of(), DEADLINE - 5_000, 200);
        assertEquals(List.of(LISTENER), remotes.masks());
        remotes.refresh(Map.of(), DEADLINE, 300);
        assertEquals(List.of(), remotes.masks());
    }

    /**
     * A registration kept only because its lease still lasts may be a withdrawal this instance did
     * not hear of: it does not count as another instance tracking expiry until the registry or an
     * announcement holds it again.
     */
    @Test
    void aRegistrationKeptOnlyForItsLeaseIsNotListed() {
        int expired = CacheEventBridge.EXPIRED_BIT;
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", expired, DEADLINE, 100);
        assertEquals(List.of(expired), remotes.listedMasks());
        remotes.refresh(Map.of(), DEADLINE - 5_000, 200);
        assertEquals(List.of(expired), remotes.masks());
        assertEquals(List.of(), remotes.listedMasks());
        remotes.refresh(Map.of("B", lease(expired)), DEADLINE - 4_000, 300); // B registered again
        assertEquals(List.of(expired), remotes.listedMasks());
    }

    @Test
    void aRegistrationAnnouncedWhileTheHeartbeatReadWasOnItsWaySurvivesTheStalerSnapshot() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        long readSent = 100; // the heartbeat's read of the registry left before B registered
        remotes.announced("B", NEAR, DEADLINE, 150); // B's announcement, confirmed at once
        remotes.refresh(Map.of(), NOW, readSent); // the snapshot, without B, arrives and is applied
        assertEquals(List.of(NEAR), remotes.masks());
    }

    @Test
    void aSnapshotReadAfterARegistrationDropsItWhenItsLeaseRanOut() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", NEAR, DEADLINE, 100);
        remotes.refresh(Map.of(), DEADLINE + 1, 200); // B no longer among the live registrations, its lease ran out
        assertEquals(List.of(), remotes.masks());
    }

    @Test
    void aSnapshotAddsWhatWasNotAnnouncedAndUpdatesWhatItKnowsBetter() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", NEAR, DEADLINE, 100);
        remotes.refresh(Map.of("B", lease(NEAR | LISTENER), "C", lease(LISTENER)), NOW, 200);
        assertEquals(List.of(NEAR | LISTENER, LISTENER), remotes.masks().stream().sorted((a, b) -> b - a).toList());
    }

    @Test
    void aWithdrawalAnnouncedAfterTheReadIsNotUndoneByIt() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", LISTENER, DEADLINE, 100);
        remotes.announced("B", 0, 0, 250); // B withdrew after the read below was sent
        remotes.refresh(Map.of("B", lease(LISTENER)), NOW, 200);
        assertEquals(List.of(), remotes.masks());
        remotes.refresh(Map.of(), NOW, 300); // a later read agrees, and the withdrawal is forgotten
        assertEquals(List.of(), remotes.masks());
    }

    @Test
    void aRegistrationAnnouncedAfterTheReadKeepsItsOwnMask() {
        RemoteRegistrations remotes = new RemoteRegistrations();
        remotes.announced("B", NEAR | LISTENER, DEADLINE, 250);
        remotes.refresh(Map.of("B", lease(NEAR)), NOW, 200); // the registry still held B's older mask
        assertEquals(List.of(NEAR | LISTENER), remotes.masks());
    }
}
