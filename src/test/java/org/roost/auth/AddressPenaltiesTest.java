package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.roost.config.RoostConfig;

/** The per-address failure memory, on a hand-moved clock: delays are asserted, never waited for. */
class AddressPenaltiesTest {
    static final LoginPolicy DEFAULTS = AuthSetup.policy(RoostConfig.defaults().auth());

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AddressPenalties penalties = new AddressPenalties(DEFAULTS, clock);
    private final InetAddress attacker = address("127.0.0.1");
    private final InetAddress other = address("::1");

    @Test
    void theDelayDoublesUpToTheCapForTheAddressThatFailedAndNoOtherAddressIsSlowed() {
        var attackerDelays = new ArrayList<Duration>();
        for (int i = 0; i < 8; i++) {
            attackerDelays.add(penalties.standing(attacker).delay());
            penalties.failed(attacker);
            clock.advance(Duration.ofSeconds(1));
            assertEquals(Duration.ZERO, penalties.standing(other).delay(), "::1 after " + (i + 1) + " failures elsewhere");
            assertTrue(penalties.standing(other).clean());
        }
        assertEquals(seconds(0, 1, 2, 4, 8, 15, 15, 15), attackerDelays);
        assertEquals(8, penalties.standing(attacker).level());
    }

    @Test
    void oneLevelIsForgottenPerDecayPeriodAndAFullyDecayedAddressIsForgotten() {
        for (int i = 0; i < 4; i++) {
            penalties.failed(attacker);
        }
        assertEquals(Duration.ofSeconds(8), penalties.standing(attacker).delay());
        clock.advance(Duration.ofSeconds(59));
        assertEquals(Duration.ofSeconds(8), penalties.standing(attacker).delay());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(4), penalties.standing(attacker).delay());
        assertEquals(1, penalties.remembered());
        clock.advance(Duration.ofMinutes(3));
        assertTrue(penalties.standing(attacker).clean());
        assertEquals(0, penalties.remembered(), "an address whose failures all decayed takes no memory");
    }

    @Test
    void aPersistentAttackerKeepsTheMaximumLongerThanItTookToReachIt() {
        for (int i = 0; i < 50; i++) {
            penalties.failed(attacker);
        }
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Duration.ofSeconds(15), penalties.standing(attacker).delay(), "level is capped at twice the max level");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Duration.ZERO, penalties.standing(attacker).delay());
    }

    @Test
    void ipv6AddressesAreGroupedByTheirSlash64AndMappedIpv4CountsAsIpv4() {
        assertEquals(penalties.key(address("2001:db8::1")), penalties.key(address("2001:db8::ffff:2")));
        assertNotEquals(penalties.key(address("2001:db8::1")), penalties.key(address("2001:db8:0:1::1")));
        assertEquals("2001:db8:0:0:0:0:0:0/64", penalties.key(address("2001:db8::abcd")));
        assertEquals("192.0.2.7", penalties.key(address("::ffff:192.0.2.7")));
        penalties.failed(address("2001:db8::1"));
        penalties.failed(address("2001:db8::2"));
        assertEquals(Duration.ofSeconds(2), penalties.standing(address("2001:db8::3")).delay());
        assertEquals(Duration.ZERO, penalties.standing(address("2001:db8:1::1")).delay());
    }

    @Test
    void aNoDelayPolicyNeverDelaysButStillTellsWhichAddressesFailed() {
        var none = new AddressPenalties(LoginPolicy.noDelay(), clock);
        for (int i = 0; i < 10; i++) {
            none.failed(attacker);
        }
        assertEquals(Duration.ZERO, none.standing(attacker).delay());
        assertEquals(2, none.standing(attacker).level());
    }

    @Test
    void theMemoryHoldsAtMostMaxAddressesWhateverTheFlood() {
        var small = new AddressPenalties(new LoginPolicy(Duration.ofSeconds(1), Duration.ofSeconds(15),
                Duration.ofMinutes(1), 64, 100, 1, 4), clock);
        for (int i = 0; i < 10_000; i++) {
            small.failed(address("10.0." + (i >> 8) + "." + (i & 0xff)));
        }
        assertTrue(small.remembered() <= 100, "remembered " + small.remembered());
        assertTrue(small.remembered() > 0);
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
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
