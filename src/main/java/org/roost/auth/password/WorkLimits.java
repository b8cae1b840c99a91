package org.roost.auth.password;

/**
 * Upper bounds on the cost parameters we accept from a stored hash. A damaged or hostile
 * passwd-file line must not be able to make one login burn minutes of CPU or exhaust the heap.
 * The bounds are far above what Dovecot generates (5000 crypt rounds, 4096 SCRAM iterations,
 * 64 MiB Argon2).
 */
final class WorkLimits {

    static final int MAX_ITERATIONS = 10_000_000;
    static final int MAX_ARGON2_MEMORY_KIB = 1 << 20;
    static final int MAX_ARGON2_PASSES = 1_000;
    static final int MAX_ARGON2_LANES = 64;

    private WorkLimits() {
    }
}
