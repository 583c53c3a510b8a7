package io.github.jcacheredis;

import io.github.jcacheredis.expiry.ExpiryDecisions;

/**
 * The creation and update TTLs of one invocation, each asked of the expiry policy at most once:
 * an entry processor that runs again after a compare-and-set conflict does not ask again.
 */
final class ExpiryAnswers {

    private final ExpiryDecisions expiry;
    private Long creation;
    private Long update;

    ExpiryAnswers(ExpiryDecisions expiry) {
        this.expiry = expiry;
    }

    long creation() {
        if (creation == null) {
            creation = expiry.resolve(expiry.creationHint(), false);
        }
        return creation;
    }

    long update() {
        if (update == null) {
            update = expiry.resolve(expiry.updateHint(), true);
        }
        return update;
    }
}
