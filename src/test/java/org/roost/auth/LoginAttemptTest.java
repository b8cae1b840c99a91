package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The guarded login path every protocol uses: penalties follow the address and are waited out before checking,
 * the user's turn, the gate, the reasons reported. The clock is moved by hand and pauses are recorded, not slept.
 */
class LoginAttemptTest {
    private static final InetAddress ATTACKER = AddressPenaltiesTest.address("127.0.0.1");
    private static final InetAddress OTHER = AddressPenaltiesTest.address("::1");

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final VerificationGate gate = new VerificationGate(2);
    private final List<Integer> busyDuringLookup = new ArrayList<>();
    private final Map<String, UserRecord> users = Map.of(
            "alice", new UserRecord("alice", "{PLAIN}secret", "", "", "", Map.of()),
            "bob", new UserRecord("bob", "{PLAIN}builder", "", "", "", Map.of()));
    private final LoginEvents recorder = new LoginEvents() {
        @Override
        public void penalty(String protocol, Duration delay) {}

        @Override
        public void failure(String protocol, FailureReason reason) {
            events.add(protocol + ":" + reason.label());
        }

        @Override
        public void userBusy(String protocol, boolean cleanAddress) {
            events.add(protocol + ":busy-" + (cleanAddress ? "clean" : "failed"));
        }
    };
    private final Authenticator authenticator = new Authenticator(new MapDatabase(users) {
        @Override
        public Optional<UserRecord> lookup(UserQuery query) {
            busyDuringLookup.add(gate.busy());
            return super.lookup(query);
        }
    }, AddressPenaltiesTest.DEFAULTS, clock, gate, recorder, pauses::add);

    private LoginAttempt.Result login(InetAddress from, String user, String password) {
        return authenticator.login("imap", from, LoginWaits.DIRECT, user, password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void guessingFromOneAddressWaitsLongerEachTimeWhileTheUserFromAnotherAddressNeverWaits() {
        for (int i = 0; i < 6; i++) {
            assertEquals(LoginAttempt.Result.REJECTED, login(ATTACKER, "alice", "guess" + i));
            clock.advance(Duration.ofSeconds(2));
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 15L), pauses.stream().map(Duration::toSeconds).toList(),
                "the first attempt is free, then the wait doubles up to 15 s");
        pauses.clear();
        assertEquals(LoginAttempt.Result.ACCEPTED, login(OTHER, "alice", "secret"));
        assertEquals(List.of(), pauses, "alice from ::1 is not slowed by guesses at her password from elsewhere");
        assertEquals(LoginAttempt.Result.REJECTED, login(ATTACKER, "bob", "builder?"));
        assertEquals(List.of(Duration.ofSeconds(15)), pauses, "the guessing address waits whichever user it tries");
    }

    @Test
    void guessesFromManyAddressesNeverDelayACorrectPasswordFromAFreshOne() {
        for (int i = 1; i <= 20; i++) {
            login(AddressPenaltiesTest.address("198.51.100." + i), "alice", "guess");
        }
        assertEquals(List.of(), pauses, "each address's first guess is free");
        assertEquals(LoginAttempt.Result.ACCEPTED, login(AddressPenaltiesTest.address("192.0.2.1"), "alice", "secret"));
        assertEquals(List.of(), pauses);
    }

    @Test
    void unknownUsersCostTheSameWaitAsWrongPasswords() {
        login(ATTACKER, "alice", "wrong");
        login(OTHER, "nobody", "wrong");
        login(ATTACKER, "nobody", "x");
        login(OTHER, "alice", "x");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), pauses);
        assertEquals(List.of("imap:password", "imap:unknown_user", "imap:unknown_user", "imap:password"), events);
    }

    @Test
    void aSuccessDoesNotWipeTheAddresssPenalty() {
        login(ATTACKER, "alice", "wrong");
        login(ATTACKER, "alice", "secret");
        login(ATTACKER, "bob", "wrong");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), pauses,
                "owning one account must not wipe the penalty earned guessing others");
    }

    @Test
    void saslFailuresCountAndMalformedOnesDoNot() {
        var plain = SaslMechanisms.byName("PLAIN").orElseThrow();
        var attempt = authenticator.attempt("imap", ATTACKER, LoginWaits.DIRECT);
        var step = attempt.start(plain, "localhost").begin(Optional.of("\0alice\0wrong".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(SaslStep.Failure.class, step);
        attempt.finished(step);
        assertEquals(Optional.of("alice"), attempt.user());
        var malformed = authenticator.attempt("imap", ATTACKER, LoginWaits.DIRECT);
        var bad = malformed.start(plain, "localhost").begin(Optional.of("no nul bytes".getBytes(StandardCharsets.UTF_8)));
        malformed.finished(bad);
        assertEquals(List.of("imap:password", "imap:malformed"), events);
        var next = authenticator.attempt("imap", ATTACKER, LoginWaits.DIRECT);
        next.finished(next.start(plain, "localhost").begin(Optional.of("\0alice\0secret".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(Duration.ofSeconds(1)), pauses, "one counted failure: one second before the next check");
    }

    @Test
    void lookupsRunOutsideTheGateAndEveryVerificationGivesItsTurnBack() {
        login(ATTACKER, "alice", "wrong");
        login(ATTACKER, "nobody", "wrong");
        var attempt = authenticator.attempt("imap", OTHER, LoginWaits.DIRECT);
        attempt.finished(attempt.start(SaslMechanisms.byName("PLAIN").orElseThrow(), "localhost")
                .begin(Optional.of("\0bob\0builder".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(0, 0, 0), busyDuringLookup, "a slow remote database must not hold the hash checks' turns");
        assertEquals(0, gate.busy());
        assertEquals(0, authenticator.turns().busyUsers());
    }

    @Test
    void aBusyUserIsRefusedAtOnceUncheckedAndTheAddressStaysClean() {
        var inLine = fillAlicesLine();
        var from = AddressPenaltiesTest.address("192.0.2.99");
        assertEquals(LoginAttempt.Result.UNAVAILABLE, login(from, "alice", "secret"));
        assertEquals(List.of(), busyDuringLookup, "nothing was looked up or verified");
        assertEquals(List.of("imap:busy-clean", "imap:user_busy"), events);
        assertTrue(authenticator.penalties().standing(from).clean(), "a refusal is not a failure");
        inLine.forEach(UserTurns.Ticket::close);
        assertEquals(LoginAttempt.Result.ACCEPTED, login(from, "alice", "secret"));
        assertEquals(List.of(), pauses);
    }

    @Test
    void scramsProofTakesTheUsersTurnAgainAndIsRefusedWhenItIsBusy() {
        var scram = SaslMechanisms.byName("SCRAM-SHA-256").orElseThrow();
        var attempt = authenticator.attempt("imap", OTHER, LoginWaits.DIRECT);
        var exchange = attempt.start(scram, "localhost");
        var challenge = exchange.begin(Optional.of("n,,n=alice,r=clientNonce42".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(SaslStep.Challenge.class, challenge);
        assertEquals(0, authenticator.turns().busyUsers(), "no turn is held across the round trip");
        var inLine = fillAlicesLine();
        var proof = exchange.step("c=biws,r=clientNonce42,p=AAAA".getBytes(StandardCharsets.UTF_8));
        var failure = assertInstanceOf(SaslStep.Failure.class, proof);
        assertEquals(SaslStep.Reason.UNAVAILABLE, failure.reason());
        attempt.finished(proof);
        assertEquals(List.of("imap:busy-clean", "imap:user_busy"), events);
        inLine.forEach(UserTurns.Ticket::close);
    }

    @Test
    void aKickDuringAPenaltyEndsTheAttemptUncheckedAndFreesEverything() {
        login(ATTACKER, "alice", "wrong");
        LoginWaits sessionEnding = wait -> {
            throw new InterruptedException("kicked");
        };
        var result = authenticator.login("imap", ATTACKER, sessionEnding, "alice", "secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(LoginAttempt.Result.UNAVAILABLE, result);
        assertEquals(List.of("imap:password", "imap:aborted"), events);
        assertEquals(1, busyDuringLookup.size(), "the second attempt looked nothing up");
        assertEquals(1, authenticator.penalties().standing(ATTACKER).level(), "an aborted attempt is not a failure");
        assertEquals(0, gate.busy());
        assertEquals(0, authenticator.turns().busyUsers());
        assertTrue(!Thread.currentThread().isInterrupted(), "the attempt consumed the interrupt it ended on");
    }

    @Test
    void aProtocolsOwnCheckIsGuardedAlike() {
        var attempt = authenticator.attempt("pop3", ATTACKER, LoginWaits.DIRECT);
        assertEquals(LoginAttempt.Result.REJECTED, attempt.checkStored("nobody", stored -> stored.isPresent()));
        var next = authenticator.attempt("pop3", ATTACKER, LoginWaits.DIRECT);
        assertEquals(LoginAttempt.Result.ACCEPTED, next.checkStored("alice", stored -> stored.equals(Optional.of("{PLAIN}secret"))));
        assertEquals(List.of(Duration.ofSeconds(1)), pauses);
        assertEquals(List.of("pop3:unknown_user"), events);
        assertEquals(0, gate.busy());
    }

    /** One check of alice's running and four clean addresses waiting: her line is full for a fifth address. */
    private List<UserTurns.Ticket> fillAlicesLine() {
        var tickets = new ArrayList<UserTurns.Ticket>();
        for (int i = 1; i <= 5; i++) {
            tickets.add(authenticator.turns().take("alice", authenticator.penalties()
                    .standing(AddressPenaltiesTest.address("203.0.113." + i))));
        }
        return tickets;
    }
}
