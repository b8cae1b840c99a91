package org.roost.auth;

import java.util.concurrent.Semaphore;

/**
 * Caps how many password verifications run at once. Argon2 and bcrypt are built to be expensive (an Argon2
 * check may take half a second and 64 MiB), so a burst of logins must queue instead of exhausting CPU and
 * heap. Fair, so a flood of attempts cannot starve an earlier one.
 */
public final class VerificationGate {
    private final Semaphore permits;
    private final int size;

    public VerificationGate(int concurrent) {
        if (concurrent <= 0) {
            throw new IllegalArgumentException("concurrent verifications must be positive");
        }
        this.permits = new Semaphore(concurrent, true);
        this.size = concurrent;
    }

    /** Waits for a turn; the permit must be closed when the verification is done. */
    public Permit enter() throws InterruptedException {
        permits.acquire();
        return new Permit();
    }

    /** Verifications running now. */
    public int busy() {
        return size - permits.availablePermits();
    }

    /** One turn; closing it twice is harmless. */
    public final class Permit implements AutoCloseable {
        private boolean released;

        private Permit() {}

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                permits.release();
            }
        }
    }
}
