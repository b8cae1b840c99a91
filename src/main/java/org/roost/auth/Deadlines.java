package org.roost.auth;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a call to a database or token service on its own virtual thread and waits at most a timeout, so no
 * driver, however stuck, can hold a login longer. A call that overruns is interrupted, which on a virtual thread
 * closes the socket it is blocked on: the straggler ends at once and its connection is dropped by its pool.
 */
public final class Deadlines {
    private Deadlines() {}

    /**
     * The call's result; {@link DatabaseUnavailable} when it throws, overruns {@code timeout}, or the caller is
     * interrupted (the interrupt stays set for the caller's own waits to see).
     */
    public static <T> T call(String what, Duration timeout, Callable<T> work) {
        var task = new FutureTask<>(work);
        Thread.ofVirtual().name("roost-lookup-" + what).start(task);
        try {
            return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new DatabaseUnavailable(what + " did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailable(what + ": the lookup was interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DatabaseUnavailable unavailable ? unavailable
                    : new DatabaseUnavailable(what + ": " + describe(e.getCause()), e.getCause());
        }
    }

    /** A cause for the log: its type and message, which for JDBC and LDAP errors hold no password. */
    static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
