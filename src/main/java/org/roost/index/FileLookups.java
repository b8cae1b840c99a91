package org.roost.index;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.roost.net.Cancellation;

/**
 * The threads that look at message files for {@link FactFinder} and read them for {@link SortRankings}, shared by every mailbox of the server
 * ({@code index.fileLookupThreads}), so that a few sessions looking up a million files each cannot
 * start more than that many lookups at once. Platform threads, not virtual ones: a {@code stat} blocks
 * in the kernel without freeing its virtual thread's carrier (the JDK makes up for blocking reads, not
 * for file metadata calls), so sixteen virtual threads on two cores stat two files at a time, and a
 * million cold stats run nearly one after the other. Threads end when idle.
 */
final class FileLookups {
    private static final long IDLE_SECONDS = 30;
    /**
     * Messages a lookup thread takes at once: handing each over on its own (a wake-up of a thread
     * each) cost more CPU than a warm stat, 3 of 11 s for a million cold ones.
     */
    private static final int RUN = 32;
    /** How often a session waiting for a lookup thread looks at its cancellation. */
    static final long CHECK_INTERVAL_MILLIS = 100;

    /** What a lookup thread does with one of the messages, by its position. */
    interface Lookup {
        void run(int position) throws IOException;
    }

    /** What a lookup thread does with a run of the messages, positions {@code from} to {@code to - 1}. */
    interface RunLookup {
        void run(int from, int to) throws IOException;
    }
    private final ThreadPoolExecutor threads;

    FileLookups(int count) {
        threads = new ThreadPoolExecutor(count, count, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("file-lookup-", 0).factory());
        threads.allowCoreThreadTimeOut(true);
    }

    /** How many lookups run at once; a session hands out no more than that, so that others get their turn. */
    int width() {
        return threads.getMaximumPoolSize();
    }

    /** Runs {@code lookup} on one of the threads; cancelling the future interrupts it. */
    Future<?> submit(Runnable lookup) {
        return threads.submit(lookup);
    }

    /**
     * Runs {@code lookup} for the positions 0..count-1 on these threads, in runs of {@link #RUN}, as many
     * runs at once as there are threads, handed out by the calling (the session's) thread, which alone
     * checks the cancellation, once per message; stops at the first failure, cancellation or interrupt, interrupting the
     * runs in flight.
     */
    void forEach(int count, Lookup lookup, Cancellation cancellation) throws IOException {
        forEachRun(count, (from, to) -> {
            for (int k = from; k < to && !abandoned(); k++) {
                lookup.run(k);
            }
        }, cancellation);
    }

    /**
     * {@link #forEach}, each run of up to {@link #RUN} positions given to {@code lookup} at once (which may then
     * hand on what it made of them at once: one lock taken a run rather than a message).
     */
    void forEachRun(int count, RunLookup lookup, Cancellation cancellation) throws IOException {
        var failure = new AtomicReference<Exception>();
        int width = width();
        var slots = new Semaphore(width);
        var handedOut = new ArrayList<Future<?>>(count / RUN + 1);
        boolean done = false;
        try {
            for (int from = 0; from < count && failure.get() == null; from += RUN) {
                int first = from;
                int end = Math.min(count, from + RUN);
                for (int k = first; k < end; k++) {
                    cancellation.check(); // once per message, as a loop over them on the session's thread would
                }
                take(slots, 1, cancellation);
                handedOut.add(submit(() -> {
                    try {
                        if (failure.get() == null && !abandoned()) {
                            lookup.run(first, end);
                        }
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                }));
            }
            take(slots, width, cancellation); // the runs in flight are through
            done = true;
        } finally {
            if (!done) {
                handedOut.forEach(run -> run.cancel(true));
            }
        }
        switch (failure.get()) {
            case null -> { }
            case IOException io -> throw io;
            case UncheckedIOException io -> throw io.getCause();
            case Cancellation.Cancelled cancelled -> throw cancelled;
            case Exception other -> throw new IOException("cannot look up a message", other);
        }
    }

    /** Whether the run on this thread was abandoned: the session stopped and interrupted it. */
    private static boolean abandoned() {
        return Thread.currentThread().isInterrupted();
    }

    /** Takes {@code count} slots, looking at the cancellation while it waits. */
    private static void take(Semaphore slots, int count, Cancellation cancellation) throws InterruptedIOException {
        try {
            while (!slots.tryAcquire(count, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                cancellation.check();
            }
        } catch (InterruptedException e) {
            throw interrupted("looking up message facts");
        }
    }

    /**
     * Takes {@code lock}, held by another session's work the caller would otherwise repeat, unless this
     * session is cancelled or interrupted (kicked, shutting down) while it waits.
     */
    static void lock(Lock lock, Cancellation cancellation, String waitingFor) throws InterruptedIOException {
        try {
            while (!lock.tryLock(CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                cancellation.check();
            }
        } catch (InterruptedException e) {
            throw interrupted(waitingFor);
        }
    }

    static InterruptedIOException interrupted(String doing) {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while " + doing);
    }
}
