package org.roost.fts;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * Indexes waiting for one costly step (a commit, a searcher's reopen) after they were written to: the step
 * runs on all of them together, at most once per interval, instead of once per mailbox caught up. Used by
 * the indexer's thread alone, apart from {@link #runNow}.
 */
final class PeriodicBatch {
    private static final System.Logger LOG = System.getLogger(PeriodicBatch.class.getName());
    private final String step;
    private final long intervalNanos;
    private final Step action;
    private final Set<UserIndex> pending = ConcurrentHashMap.newKeySet();
    private long last = System.nanoTime();

    /** The step, on one index. */
    @FunctionalInterface
    interface Step {
        void run(UserIndex index) throws IOException;
    }

    /** {@code step} names it in the log. */
    PeriodicBatch(String step, Duration interval, Step action) {
        this.step = step;
        this.intervalNanos = interval.toNanos();
        this.action = action;
    }

    void add(UserIndex index) {
        pending.add(index);
    }

    /** Nanoseconds until the step is due; {@link Long#MAX_VALUE} while no index waits for it. */
    long untilDue() {
        return pending.isEmpty() ? Long.MAX_VALUE : Math.max(0, intervalNanos - (System.nanoTime() - last));
    }

    /** Runs the step on every index waiting for it, if the interval has passed since it last ran. */
    void runIfDue() {
        if (untilDue() == 0) {
            runNow();
            last = System.nanoTime();
        }
    }

    /** Runs the step on every index waiting for it now. */
    void runNow() {
        for (var index : pending) {
            pending.remove(index);
            try {
                action.run(index);
            } catch (AlreadyClosedException closedMeanwhile) {
                // closed as the least recently used meanwhile: closing committed it, and nobody searches it
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "{0} of a full-text index failed: {1}", step, e.toString());
            }
        }
    }
}
