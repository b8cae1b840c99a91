package org.roost.auth;

import java.time.Duration;

/**
 * How failed logins slow further ones, in numbers (docs/configuration.md, "Login penalties").
 *
 * <p>Penalties follow the remote address that failed: after n recent failures an address waits
 * {@code initialDelay * 2^(n-1)} (at most {@code maxDelay}) before each further attempt is checked, and one failure
 * is forgotten per {@code decay} without failures. IPv6 addresses count per network of {@code ipv6Prefix} bits; at
 * most {@code maxAddresses} addresses are remembered. Per user, at most {@code verificationsPerUser} password
 * checks run at once, and at most {@code waitingAddressesPerUser} further addresses of each kind (with and without
 * failures) wait for a turn; attempts beyond that are refused at once as a temporary failure.
 */
public record LoginPolicy(Duration initialDelay, Duration maxDelay, Duration decay, int ipv6Prefix, int maxAddresses,
        int verificationsPerUser, int waitingAddressesPerUser) {
    /** Beyond this many doublings every delay is {@code maxDelay} (and 2^level would overflow). */
    private static final int MAX_DOUBLINGS = 40;

    public LoginPolicy {
        if (maxAddresses <= 0 || verificationsPerUser <= 0 || waitingAddressesPerUser < 0) {
            throw new IllegalArgumentException("login policy bounds must be positive");
        }
    }

    /** No delay ever (tools, tests); the per-user turns still apply. */
    public static LoginPolicy noDelay() {
        return new LoginPolicy(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1), 64, 1, 1, 4);
    }

    /** The wait before an attempt from an address at this failure level. */
    public Duration delay(int level) {
        if (level <= 0) {
            return Duration.ZERO;
        }
        if (level > MAX_DOUBLINGS) {
            return maxDelay;
        }
        var d = initialDelay.multipliedBy(1L << (level - 1));
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    /**
     * The highest level an address can reach: twice the level at which the delay reaches {@code maxDelay}, so an
     * address that keeps failing keeps the maximum for as long as it took to reach it.
     */
    int maxLevel() {
        if (initialDelay.isZero() || maxDelay.isZero()) {
            return 2;
        }
        int level = 1;
        while (level < MAX_DOUBLINGS && delay(level).compareTo(maxDelay) < 0) {
            level++;
        }
        return 2 * level;
    }
}
