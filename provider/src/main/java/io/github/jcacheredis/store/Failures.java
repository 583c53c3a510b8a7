package io.github.jcacheredis.store;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import javax.cache.CacheException;
import org.redisson.RedissonShutdownException;
import org.redisson.client.RedisAuthRequiredException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.RedisWrongPasswordException;
import org.redisson.client.WriteRedisConnectionException;

/**
 * What a failed Redis call means for the command it carried: whether the command can have run.
 * A write may only be sent again when its failure proves that it never reached Redis or that
 * Redis refused it before running it; after a response timeout or a connection lost mid-call it
 * may have run, and its outcome is unknown.
 */
enum Failures {

    /** Redis answered with an error (a script error, WRONGTYPE, OOM, NOSCRIPT): nothing ran. */
    REFUSED,
    /**
     * The command did not run and may run if sent again: it was never written to a connection
     * (no connection, connection refused, no free connection in the client's pool), or the server
     * answered that it cannot serve it now (READONLY after a failover, TRYAGAIN, CLUSTERDOWN,
     * LOADING, BUSY, MASTERDOWN).
     */
    NOT_RUN,
    /** The command was sent and no reply came (timeout, connection lost): it may have run. */
    UNKNOWN;

    /** How Redisson's message begins when a command waited in vain for a connection of the pool. */
    private static final String NO_FREE_CONNECTION = "Unable to acquire connection!";
    /**
     * How Redisson's message begins when a command's connection did not write it in time (its I/O
     * thread busy: a JVM short of CPU, or paused); Redisson cancels that write, so it never ran.
     */
    private static final String NOT_WRITTEN = "Command still hasn't been written into connection!";

    static Failures of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof NoReplyInBatch noReply) {
            return noReply.unsent ? NOT_RUN : UNKNOWN;
        }
        if (any(cause, RedisResponseTimeoutException.class) || any(cause, RedisReconnectedException.class)
                || any(cause, CancellationException.class) || any(cause, RedissonShutdownException.class)) {
            return UNKNOWN;
        }
        if (any(cause, RedisConnectionException.class) || any(cause, RedisRetryException.class)
                || any(cause, RedisReadonlyException.class) || any(cause, RedisNodeNotFoundException.class)
                || any(cause, RedisTimeoutException.class) || any(cause, Failures::isUnmappedSlot)) {
            // a RedisTimeoutException that is not a response timeout: no connection in time, or the
            // command could not be written into one (Redisson cancels that write)
            return NOT_RUN;
        }
        if (cause instanceof CacheException || cause instanceof RedisNoScriptException
                || cause instanceof RedisOutOfMemoryException || cause instanceof RedisAuthRequiredException
                || cause instanceof RedisWrongPasswordException || cause instanceof ErrorReply || isErrorReply(cause)
                || cause instanceof Pipelines.PartlyApplied) {
            return REFUSED;
        }
        return UNKNOWN;
    }

    /**
     * True when the command did not run because the cluster's layout is changing or the server is
     * briefly busy, not because Redis is unreachable: a MOVED to a node the client has not
     * discovered yet, READONLY from a master that just became a replica, TRYAGAIN, CLUSTERDOWN,
     * LOADING, MASTERDOWN, BUSY. Sending it again once the client has caught up succeeds.
     */
    static boolean isTransient(Throwable failure) {
        Throwable cause = unwrap(failure);
        return any(cause, RedisNodeNotFoundException.class) || any(cause, RedisRetryException.class)
                || any(cause, RedisReadonlyException.class) || any(cause, Failures::isUnmappedSlot);
    }

    /**
     * Redisson groups the keys of a multi-key call (MGET, MSET, DEL of many) by node before it
     * sends anything; while a slot is moving it may know no node for it, and the grouping fails
     * with this exception: nothing was sent (seen in {@code ClusterFailoverFaultTests}).
     */
    private static boolean isUnmappedSlot(Throwable cause) {
        return cause instanceof NullPointerException && "element cannot be mapped to a null key".equals(cause.getMessage());
    }

    /**
     * True when the command did not run because the client holds more calls than it can send at
     * once: it could not get the command onto a connection in time ({@link #isCongested}), or its
     * batch lane had no room ({@link BatchLane.NoRoom}). That is back-pressure, and says nothing
     * about Redis being unreachable: the calls holding the connections learn that, by their replies
     * or their response timeouts.
     */
    static boolean isBackPressure(Throwable failure) {
        return isCongested(failure) || any(unwrap(failure), BatchLane.NoRoom.class);
    }

    /**
     * True when the command was not sent because the client could not get it onto a connection in
     * time: no connection of its pool became free ({@link #isPoolExhausted}), or the connection's
     * I/O thread did not write it (busy, as in a JVM short of CPU), which Redisson gives only one
     * retry delay per attempt, far less than a reply's timeout.
     */
    static boolean isCongested(Throwable failure) {
        return isClientTimeout(failure, NO_FREE_CONNECTION) || isClientTimeout(failure, NOT_WRITTEN);
    }

    /** True when the command was not sent because no connection of the client's pool became free in time. */
    static boolean isPoolExhausted(Throwable failure) {
        return isClientTimeout(failure, NO_FREE_CONNECTION);
    }

    /** True when Redisson gave up on the command before sending it, with a message that begins with {@code reason}. */
    private static boolean isClientTimeout(Throwable failure, String reason) {
        return any(unwrap(failure), cause -> cause instanceof RedisTimeoutException && cause.getMessage() != null
                && cause.getMessage().startsWith(reason));
    }

    /**
     * The failure of a command that Redis refused inside a script run for a batch, given the
     * error it replied, as the client reports that error for the command sent alone: out of
     * memory, a read-only replica (which may serve it once the client has caught up), or refused.
     */
    static RedisException ofErrorReply(String error) {
        if (error.startsWith("OOM")) {
            return new RedisOutOfMemoryException(error);
        }
        if (error.startsWith("READONLY")) {
            return new RedisReadonlyException(error);
        }
        return new ErrorReply(error);
    }

    /**
     * True when Redis answered the batch of a command that got no reply of its own: it refused at
     * least one of its commands (BUSY, LOADING, READONLY...), so it is reachable, though the
     * command's own outcome is unknown.
     */
    static boolean isAnsweredBatch(Throwable failure) {
        return unwrap(failure) instanceof NoReplyInBatch noReply && noReply.answeredByRedis;
    }

    /**
     * A command of a batch that failed as a whole got no reply of its own. Redisson fails such a
     * batch when Redis refused any of its commands as one to try again later (BUSY, LOADING,
     * TRYAGAIN, CLUSTERDOWN, MASTERDOWN), and leaves the commands it refused so without a reply.
     * Such a command did not run by Redisson's account, but that rests on the client's internals
     * (docs/decisions.md): its outcome is taken as unknown, unless the batch never reached Redis. It carries no cause, so that nothing takes it for a command that
     * provably did not run and sends it again.
     */
    static final class NoReplyInBatch extends RedisException {
        private static final long serialVersionUID = 1L;

        /** The batch's failure proves that none of it reached Redis (no connection). */
        final boolean unsent;
        /** Redis answered the batch, refusing some command of it: it is reachable. */
        final boolean answeredByRedis;

        /**
         * {@code noCommandAnswered}: no command of the batch has a reply, so a failure that proves the
         * batch unsent proves it for this command too.
         */
        NoReplyInBatch(Throwable batchFailure, boolean noCommandAnswered) {
            super("the batch it was sent in failed before its own reply came (" + batchFailure.getMessage() + ")");
            Throwable cause = unwrap(batchFailure);
            Failures kind = of(cause);
            this.answeredByRedis = kind == REFUSED || any(cause, RedisRetryException.class)
                    || any(cause, RedisReadonlyException.class);
            this.unsent = noCommandAnswered && kind == NOT_RUN && !answeredByRedis && !mayBePartlyWritten(cause);
        }
    }

    /**
     * True when the connection closed while the command was being written. A lone command cut off
     * so did not run (Redis runs only whole commands), but the commands of a pipeline that Redis had
     * received by then did, and Redisson fails them all with this.
     */
    static boolean mayBePartlyWritten(Throwable failure) {
        return any(unwrap(failure), WriteRedisConnectionException.class);
    }

    /** An error reply to one command of a batch: Redis refused it, and it did not run. */
    static final class ErrorReply extends RedisException {
        private static final long serialVersionUID = 1L;

        ErrorReply(String error) {
            super(error);
        }
    }

    /** Redisson reports a plain error reply as a RedisException naming the channel and command. */
    private static boolean isErrorReply(Throwable cause) {
        return cause.getClass() == RedisException.class && cause.getMessage() != null
                && cause.getMessage().contains(". channel: ");
    }

    private static boolean any(Throwable failure, Class<? extends Throwable> type) {
        return any(failure, type::isInstance);
    }

    private static boolean any(Throwable failure, Predicate<Throwable> test) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed != cause && test.test(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The failure Redisson reported, without the wrappers of futures. */
    static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof RedisException) && !(cause instanceof CacheException)
                && cause.getCause() instanceof RedisException) {
            return cause.getCause();
        }
        return cause;
    }
}
