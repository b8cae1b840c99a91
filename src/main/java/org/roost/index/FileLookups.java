package org.roost.index;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that look at message files for {@link FactFinder}, shared by every mailbox of the server
 * ({@code index.fileLookupThreads}), so that a few sessions looking up a million files each cannot
 * start more than that many lookups at once. Platform threads, not virtual ones: a {@code stat} blocks
 * in the kernel without freeing its virtual thread's carrier (the JDK makes up for blocking reads, not
 * for file metadata calls), so sixteen virtual threads on two cores stat two files at a time, and a
 * million cold stats run nearly one after the other. Threads end when idle.
 */
final class FileLookups {
    private static final long IDLE_SECONDS = 30;
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
}
