package org.roost.auth;

/**
 * Where the login path's waits run: a penalty, a turn behind other checks of the same user, a turn at the
 * {@link VerificationGate}. The protocol session supplies it because only the session knows what such a wait
 * means for it: the client is waiting on the server, so the time is not idle time, and a kick or shutdown must cut
 * the wait short (by interrupting the waiting thread).
 */
@FunctionalInterface
public interface LoginWaits {
    void run(Wait wait) throws InterruptedException;

    /** One blocking wait, ended early by an interrupt. */
    @FunctionalInterface
    interface Wait {
        void await() throws InterruptedException;
    }

    /** Waits on the caller's thread with no session around it (tools, tests). */
    LoginWaits DIRECT = Wait::await;
}
