package org.roost.net;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The waits a session imposes on its client before answering it (a login penalty, a turn to check a password).
 * The client is waiting on the server then, not idle, so the pre-auth deadline's clock stands still while one
 * runs; and a kick or shutdown must not wait for one to end, so {@link #end} interrupts the thread inside it.
 * Only a thread inside a wait is ever interrupted, and any interrupt that arrives as the wait ends is cleared:
 * a stray interrupt would close the socket under the session's next read.
 */
public final class ImposedWaits {
    /** One blocking wait, ended early by an interrupt. */
    @FunctionalInterface
    public interface Wait {
        void await() throws InterruptedException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waitEnded = lock.newCondition();
    private Thread waiting;
    private long waitStarted;
    /** Nanoseconds spent in waits that have ended. */
    private long waited;
    private boolean ended;

    /** Runs {@code wait} as an imposed wait; throws at once once the session is ending. */
    void run(Wait wait) throws InterruptedException {
        lock.lock();
        try {
            if (ended) {
                throw new InterruptedException("the session is ending");
            }
            waiting = Thread.currentThread();
            waitStarted = System.nanoTime();
        } finally {
            lock.unlock();
        }
        try {
            wait.await();
        } finally {
            lock.lock();
            try {
                waited += System.nanoTime() - waitStarted;
                waiting = null;
                Thread.interrupted();
                waitEnded.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The session is ending: interrupts the wait in progress, and every later wait fails at once. */
    void end() {
        lock.lock();
        try {
            ended = true;
            if (waiting != null) {
                waiting.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns once {@code allowed} has passed outside imposed waits, counted from now. */
    void awaitClientTime(Duration allowed) throws InterruptedException {
        lock.lock();
        try {
            long start = System.nanoTime() - waited;
            while (true) {
                if (waiting != null) {
                    waitEnded.await();
                    continue;
                }
                long left = allowed.toNanos() - (System.nanoTime() - waited - start);
                if (left <= 0) {
                    return;
                }
                waitEnded.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
