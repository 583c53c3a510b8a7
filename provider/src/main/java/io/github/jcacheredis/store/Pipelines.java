package io.github.jcacheredis.store;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.redisson.api.RFuture;
import org.redisson.client.RedisException;

/**
 * Runs pipelines that change entries. {@link RedisCalls} sends a call again when its failure
 * proves it did not run, but a pipeline's failure is that of one of its commands: the others may
 * have run. So a failed pipeline fails as not run only when none of its commands ran; when some
 * ran and others were refused unrun (a master that became a replica halfway), it fails as
 * refused, and when a command may have run unanswered, as unknown. Each attempt of a call must
 * build a pipeline of its own: one runs once.
 */
final class Pipelines {

    private Pipelines() {
    }

    /**
     * Executes a pipeline with {@code send} ({@link StoreContext#execute}), whose commands' replies
     * are {@code commands}. With {@code scriptsRepeatAlone}, commands the server answered NOSCRIPT
     * to do not fail it: they did not run, and their callers repeat them alone
     * ({@link ScriptRunner.Queued#reply}).
     */
    static void execute(Runnable send, Collection<? extends RFuture<?>> commands, boolean scriptsRepeatAlone) {
        RuntimeException failure;
        try {
            send.run();
            return;
        } catch (RuntimeException e) {
            failure = e;
        }
        int ran = 0;
        int notRun = 0;
        int unknownScript = 0;
        Throwable refusedUnrun = null;
        boolean refused = false;
        for (RFuture<?> command : commands) {
            CompletableFuture<?> reply = command.toCompletableFuture();
            if (!reply.isDone()) {
                throw unknown(failure);
            }
            if (!reply.isCompletedExceptionally()) {
                ran++;
                continue;
            }
            Throwable cause = Failures.unwrap(reply.handle((value, error) -> error).join());
            if (commands.size() > 1 && Failures.mayBePartlyWritten(cause)) {
                throw unknown(failure); // Redis ran what it had received of the pipeline
            }
            if (ScriptRunner.isNoScript(cause)) {
                unknownScript++;
                continue;
            }
            switch (Failures.of(cause)) {
                case UNKNOWN -> throw unknown(failure);
                case NOT_RUN -> {
                    notRun++;
                    refusedUnrun = refusedUnrun == null ? cause : refusedUnrun;
                }
                case REFUSED -> refused = true;
            }
        }
        if (notRun == 0 && !refused && scriptsRepeatAlone && unknownScript > 0) {
            return;
        }
        if (notRun > 0 && ran == 0 && !refused) {
            // nothing ran: the call may send it again, whole
            throw Failures.of(failure) == Failures.NOT_RUN ? failure : asRuntime(refusedUnrun);
        }
        if (notRun > 0) {
            throw new PartlyApplied(ran, commands.size(), refusedUnrun);
        }
        throw failure;
    }

    private static RuntimeException unknown(RuntimeException failure) {
        return Failures.of(failure) == Failures.UNKNOWN ? failure : new Failures.NoReplyInBatch(failure, false);
    }

    private static RuntimeException asRuntime(Throwable failure) {
        return failure instanceof RuntimeException runtime ? runtime : new RedisException(failure.getMessage(), failure);
    }

    /**
     * Some commands of a pipeline ran and others were refused unrun: the call fails alone, and is
     * not sent again (that would run the others twice). It carries no cause, so that nothing takes
     * it for a command that did not run.
     */
    static final class PartlyApplied extends RedisException {
        private static final long serialVersionUID = 1L;

        PartlyApplied(int ran, int of, Throwable refusal) {
            super(ran + " of the " + of + " commands of the pipeline ran; the others were refused and did not run ("
                    + refusal.getMessage() + "), and the pipeline was not sent again");
        }
    }
}
