package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.roost.auth.sasl.SaslMechanisms;
import org.roost.auth.sasl.SaslStep;

/** The guarded login path every protocol uses: penalties waited out before checking, reasons, the gate. */
class LoginAttemptTest {
    private static final InetAddress ATTACKER = LoginGuardTest.address("127.0.0.1");
    private static final InetAddress OTHER = LoginGuardTest.address("::1");

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final VerificationGate gate = new VerificationGate(2);
    private final List<Integer> busyDuringLookup = new ArrayList<>();
    private final Map<String, UserRecord> users = Map.of(
            "alice", new UserRecord("alice", "{PLAIN}secret", "", "", "", Map.of()),
            "bob", new UserRecord("bob", "{PLAIN}builder", "", "", "", Map.of()));
    private final Authenticator authenticator = new Authenticator(new PasswordDatabase() {
        @Override
        public Optional<UserRecord> lookup(String user) {
            busyDuringLookup.add(gate.busy());
            return Optional.ofNullable(users.get(user));
        }

        @Override
        public void reload() throws IOException {}

        @Override
        public int size() {
            return users.size();
        }
    }, new LoginGuard(LoginGuard.Policy.defaults(), clock), gate, new LoginEvents() {
        @Override
        public void penalty(String protocol, Duration delay) {}

        @Override
        public void failure(String protocol, FailureReason reason) {
            events.add(protocol + ":" + reason.label());
        }
    }, pauses::add);

    private LoginAttempt.Result login(InetAddress from, String user, String password) {
        return authenticator.login("imap", from, user, password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bruteForceWaitsLongerEachTimeWhileBobFromAnotherAddressNeverWaits() {
        for (int i = 0; i < 6; i++) {
            assertEquals(LoginAttempt.Result.REJECTED, login(ATTACKER, "alice", "guess" + i));
            clock.advance(Duration.ofSeconds(2));
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 15L), pauses.stream().map(Duration::toSeconds).toList(),
                "the first attempt is free, then the wait doubles up to 15 s");
        pauses.clear();
        assertEquals(LoginAttempt.Result.ACCEPTED, login(OTHER, "bob", "builder"));
        assertEquals(List.of(), pauses, "bob from ::1 is not slowed");
    }

    @Test
    void unknownUsersCostTheSameWaitAsWrongPasswords() {
        login(ATTACKER, "alice", "wrong");
        login(OTHER, "nobody", "wrong");
        clock.advance(Duration.ofSeconds(1));
        pauses.clear();
        login(LoginGuardTest.address("192.0.2.1"), "alice", "x");
        login(LoginGuardTest.address("192.0.2.2"), "nobody", "x");
        assertEquals(pauses.get(0), pauses.get(1));
        assertEquals(Duration.ofSeconds(1), pauses.get(0));
        assertEquals(List.of("imap:password", "imap:unknown_user", "imap:password", "imap:unknown_user"), events);
    }

    @Test
    void aSuccessfulLoginClearsTheUsersPenalty() {
        login(ATTACKER, "alice", "wrong");
        login(OTHER, "alice", "secret");
        pauses.clear();
        login(LoginGuardTest.address("192.0.2.1"), "alice", "secret");
        assertEquals(List.of(), pauses);
    }

    @Test
    void saslFailuresCountAndMalformedOnesDoNot() {
        var plain = SaslMechanisms.byName("PLAIN").orElseThrow();
        var attempt = authenticator.attempt("imap", ATTACKER);
        var step = attempt.start(plain, "localhost").begin(Optional.of("\0alice\0wrong".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(SaslStep.Failure.class, step);
        attempt.finished(step);
        assertEquals(Optional.of("alice"), attempt.user());
        var malformed = authenticator.attempt("imap", ATTACKER);
        var bad = malformed.start(plain, "localhost").begin(Optional.of("no nul bytes".getBytes(StandardCharsets.UTF_8)));
        malformed.finished(bad);
        assertEquals(List.of("imap:password", "imap:malformed"), events);
        var next = authenticator.attempt("imap", ATTACKER);
        next.finished(next.start(plain, "localhost").begin(Optional.of("\0alice\0secret".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(Duration.ofSeconds(1)), pauses, "one counted failure: one second before the next check");
    }

    @Test
    void everyVerificationHoldsOneGateTurnAndGivesItBack() {
        login(ATTACKER, "alice", "wrong");
        login(ATTACKER, "nobody", "wrong");
        var attempt = authenticator.attempt("imap", OTHER);
        attempt.finished(attempt.start(SaslMechanisms.byName("PLAIN").orElseThrow(), "localhost")
                .begin(Optional.of("\0bob\0builder".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(1, 1, 1), busyDuringLookup);
        assertEquals(0, gate.busy());
    }

    @Test
    void anInterruptedPenaltyIsATemporaryFailureNotALogin() {
        var interrupted = new Authenticator(new MapDatabase(users),
                new LoginGuard(LoginGuard.Policy.defaults(), clock), gate, LoginEvents.NONE,
                d -> { throw new InterruptedException(); });
        interrupted.login("imap", ATTACKER, "alice", "wrong".getBytes(StandardCharsets.UTF_8));
        var result = interrupted.login("imap", ATTACKER, "alice", "secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(LoginAttempt.Result.UNAVAILABLE, result);
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(0, gate.busy());
    }

    @Test
    void aProtocolsOwnCheckIsGuardedAlike() {
        var attempt = authenticator.attempt("pop3", ATTACKER);
        assertEquals(LoginAttempt.Result.REJECTED, attempt.checkStored("nobody", stored -> stored.isPresent()));
        var next = authenticator.attempt("pop3", ATTACKER);
        assertEquals(LoginAttempt.Result.ACCEPTED, next.checkStored("alice", stored -> stored.equals(Optional.of("{PLAIN}secret"))));
        assertEquals(List.of(Duration.ofSeconds(1)), pauses);
        assertEquals(List.of("pop3:unknown_user"), events);
        assertEquals(0, gate.busy());
    }

    /** A fixed map as a database. */
    private record MapDatabase(Map<String, UserRecord> users) implements PasswordDatabase {
        @Override
        public Optional<UserRecord> lookup(String user) {
            return Optional.ofNullable(users.get(user));
        }

        @Override
        public void reload() {}

        @Override
        public int size() {
            return users.size();
        }
    }
}
