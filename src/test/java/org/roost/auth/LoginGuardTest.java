package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginGuardTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginGuard guard = new LoginGuard(LoginGuard.Policy.defaults(), clock);
    private final InetAddress attacker = address("127.0.0.1");
    private final InetAddress other = address("::1");

    @Test
    void bruteForceDelayDoublesUpToTheCapWhileAnotherUserFromAnotherAddressIsNotSlowed() {
        var attackerDelays = new ArrayList<Duration>();
        for (int i = 0; i < 8; i++) {
            attackerDelays.add(guard.delayBefore(attacker, "alice"));
            guard.failed(attacker, "alice");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(Duration.ZERO, guard.delayBefore(other, "bob"), "bob from ::1 after " + (i + 1) + " attacks");
        }
        assertEquals(seconds(0, 1, 2, 4, 8, 15, 15, 15), attackerDelays);
    }

    @Test
    void theAttackersAddressIsSlowedForEveryUserAndTheAttackedUserFromEveryAddress() {
        for (int i = 0; i < 3; i++) {
            guard.failed(attacker, "alice");
        }
        assertEquals(Duration.ofSeconds(4), guard.delayBefore(attacker, "someone-else"), "spraying other users");
        assertEquals(Duration.ofSeconds(4), guard.delayBefore(other, "alice"), "alice attacked from elsewhere");
        assertEquals(Duration.ZERO, guard.delayBefore(other, "bob"));
    }

    @Test
    void oneLevelIsForgottenPerDecayPeriod() {
        for (int i = 0; i < 4; i++) {
            guard.failed(attacker, "alice");
        }
        assertEquals(Duration.ofSeconds(8), guard.delayBefore(attacker, "x"));
        clock.advance(Duration.ofSeconds(59));
        assertEquals(Duration.ofSeconds(8), guard.delayBefore(attacker, "x"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(4), guard.delayBefore(attacker, "x"));
        clock.advance(Duration.ofMinutes(3));
        assertEquals(Duration.ZERO, guard.delayBefore(attacker, "x"));
    }

    @Test
    void aPersistentAttackerKeepsTheMaximumLongerThanItTookToReachIt() {
        for (int i = 0; i < 50; i++) {
            guard.failed(attacker, "u" + i);
        }
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Duration.ofSeconds(15), guard.delayBefore(attacker, "new"), "level is capped at twice the max level");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Duration.ZERO, guard.delayBefore(attacker, "new"));
    }

    @Test
    void successClearsTheUserButNotTheAddress() {
        for (int i = 0; i < 3; i++) {
            guard.failed(attacker, "alice");
        }
        guard.succeeded(attacker, "alice");
        assertEquals(Duration.ZERO, guard.delayBefore(other, "alice"));
        assertEquals(Duration.ofSeconds(4), guard.delayBefore(attacker, "mallory"),
                "owning one account must not wipe the penalty earned guessing others");
    }

    @Test
    void ipv6AddressesAreGroupedByTheirSlash64AndMappedIpv4CountsAsIpv4() {
        assertEquals(guard.addressKey(address("2001:db8::1")), guard.addressKey(address("2001:db8::ffff:2")));
        assertNotEquals(guard.addressKey(address("2001:db8::1")), guard.addressKey(address("2001:db8:0:1::1")));
        assertEquals("2001:db8:0:0:0:0:0:0/64", guard.addressKey(address("2001:db8::abcd")));
        assertEquals("192.0.2.7", guard.addressKey(address("::ffff:192.0.2.7")));
        guard.failed(address("2001:db8::1"), "a");
        guard.failed(address("2001:db8::2"), "b");
        assertEquals(Duration.ofSeconds(2), guard.delayBefore(address("2001:db8::3"), "c"));
        assertEquals(Duration.ZERO, guard.delayBefore(address("2001:db8:1::1"), "c"));
    }

    @Test
    void noPenaltyPolicyNeverDelays() {
        var none = new LoginGuard(LoginGuard.Policy.none(), clock);
        for (int i = 0; i < 10; i++) {
            none.failed(attacker, "alice");
        }
        assertEquals(Duration.ZERO, none.delayBefore(attacker, "alice"));
    }

    @Test
    void tablesAreBounded() {
        var small = new LoginGuard(new LoginGuard.Policy(Duration.ofSeconds(1), Duration.ofSeconds(15),
                Duration.ofMinutes(1), 64, 2), clock);
        small.failed(attacker, "u1");
        small.failed(attacker, "u2");
        small.failed(attacker, "u3");
        assertEquals(Duration.ZERO, small.delayBefore(other, "u1"), "the oldest user entry was dropped");
        assertEquals(Duration.ofSeconds(1), small.delayBefore(other, "u3"));
    }

    private static List<Duration> seconds(long... values) {
        var out = new ArrayList<Duration>();
        for (long v : values) {
            out.add(Duration.ofSeconds(v));
        }
        return out;
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
