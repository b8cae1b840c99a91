package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * At most N verifications at once: a login whose hash check finds the gate full waits for a turn. Its lookup
 * does not: a user database (SQL, LDAP) that is slow to answer must not hold the turns of the hash checks.
 */
class VerificationGateTest {

    @Test
    void aLoginLooksUpWhileTheGateIsFullAndVerifiesOnceATurnIsFree() throws Exception {
        var gate = new VerificationGate(2);
        var looked = new Semaphore(0);
        var seenBusy = new ConcurrentLinkedQueue<Integer>();
        var database = new MapDatabase(Map.of()) {
            @Override
            public Optional<UserRecord> lookup(UserQuery query) {
                seenBusy.add(gate.busy());
                looked.release();
                return java.util.Optional.of(new UserRecord(query.user(), "{PLAIN}pw", "", "", "", Map.of()));
            }
        };
        var authenticator = new Authenticator(database, LoginPolicy.noDelay(), InstantSource.system(), gate,
                LoginEvents.NONE, Authenticator.Pause.SLEEP);
        var first = gate.enter();
        var second = gate.enter();
        var results = new ConcurrentLinkedQueue<LoginAttempt.Result>();
        var login = Thread.ofVirtual().start(() -> results.add(login(authenticator, "u1")));
        looked.acquire();
        while (login.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(2), List.copyOf(seenBusy), "looked up while both turns were taken");
        assertTrue(results.isEmpty(), "the verification waits for a turn");
        first.close();
        login.join();
        assertEquals(List.of(LoginAttempt.Result.ACCEPTED), List.copyOf(results));
        second.close();
        assertEquals(0, gate.busy());
    }

    private static LoginAttempt.Result login(Authenticator authenticator, String user) {
        return authenticator.login("imap", null, LoginWaits.DIRECT, user, "pw".getBytes(StandardCharsets.UTF_8));
    }
}
