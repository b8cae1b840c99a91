package org.roost.auth.password;

/**
 * Upper bounds on the cost parameters we accept from a stored hash. A damaged or hostile
 * passwd-file line must not be able to make one login burn minutes of CPU or exhaust the heap.
 * The bounds are far above what Dovecot generates (5000 crypt rounds, bcrypt cost 5, 4096 SCRAM
 * iterations, 64 MiB Argon2) and above common tools' defaults (passlib: 656000 SHA512-CRYPT rounds).
 * Argon2 memory is capped at libsodium's "moderate" 256 MiB because it is allocated on the heap.
 */
final class WorkLimits {

    static final int MAX_ITERATIONS = 10_000_000;
    static final int MAX_ARGON2_MEMORY_KIB = 256 * 1024;
    /** bcrypt cost is log2 of the rounds; 16 already takes seconds, 31 would take days. */
    static final int MAX_BCRYPT_COST = 16;
    static final int MAX_ARGON2_PASSES = 1_000;
    static final int MAX_ARGON2_LANES = 64;

    private WorkLimits() {
    }
}
