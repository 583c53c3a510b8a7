package io.github.jcacheredis;

import io.github.jcacheredis.store.Mutation;
import io.github.jcacheredis.store.MutationResult;
import io.github.jcacheredis.store.Outcome;

/** Completes writes whose expiry policy must be asked which TTL applies. */
final class Writes {

    private Writes() {
    }

    /**
     * Given the first result of {@code mutation}, answers the store's requests for a creation or
     * update TTL by asking the policy (only for the case that applies) and runs the write again.
     */
    static MutationResult resolve(CacheResources<?, ?> r, String segment, Mutation mutation, MutationResult first) {
        MutationResult result = first;
        Mutation current = mutation;
        while (result.outcome() == Outcome.NEED_CREATION_TTL || result.outcome() == Outcome.NEED_UPDATE_TTL) {
            current = result.outcome() == Outcome.NEED_CREATION_TTL
                    ? current.withTtls(r.expiry().creation(), current.presentTtl())
                    : current.withTtls(current.absentTtl(), r.expiry().update());
            result = r.store().mutate(segment, current);
        }
        return result;
    }

    /** Runs {@code mutation} and completes it as {@link #resolve} does. */
    static MutationResult run(CacheResources<?, ?> r, String segment, Mutation mutation) {
        return resolve(r, segment, mutation, r.store().mutate(segment, mutation));
    }
}
