package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** At most N verifications at once: the N+1st login waits for a turn instead of running beside them. */
class VerificationGateTest {

    @Test
    void theThirdConcurrentLoginWaitsUntilATurnIsFree() throws Exception {
        var gate = new VerificationGate(2);
        var inLookup = new Semaphore(0);
        var release = new CountDownLatch(1);
        var seenBusy = new ConcurrentLinkedQueue<Integer>();
        var database = new PasswordDatabase() {
            @Override
            public Optional<UserRecord> lookup(String user) {
                seenBusy.add(gate.busy());
                inLookup.release();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(new UserRecord(user, "{PLAIN}pw", "", "", "", Map.of()));
            }

            @Override
            public void reload() {}

            @Override
            public int size() {
                return 1;
            }
        };
        var authenticator = new Authenticator(database, LoginPolicy.noDelay(), InstantSource.system(), gate,
                LoginEvents.NONE, Authenticator.Pause.SLEEP);
        var results = new ConcurrentLinkedQueue<LoginAttempt.Result>();
        var first = Thread.ofVirtual().start(() -> results.add(login(authenticator, "u1")));
        var second = Thread.ofVirtual().start(() -> results.add(login(authenticator, "u2")));
        inLookup.acquire(2);
        var third = Thread.ofVirtual().start(() -> results.add(login(authenticator, "u3")));
        while (third.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertEquals(2, gate.busy());
        assertEquals(0, inLookup.availablePermits(), "the third login has not reached its verification");
        release.countDown();
        for (var t : new Thread[] {first, second, third}) {
            t.join();
        }
        assertEquals(3, results.size());
        assertTrue(results.stream().allMatch(r -> r == LoginAttempt.Result.ACCEPTED));
        assertTrue(seenBusy.stream().allMatch(b -> b <= 2), seenBusy.toString());
        assertEquals(0, gate.busy());
    }

    /** Three users, so that only the gate (not the one-check-per-user turn) decides who waits. */
    private static LoginAttempt.Result login(Authenticator authenticator, String user) {
        return authenticator.login("imap", null, LoginWaits.DIRECT, user, "pw".getBytes(StandardCharsets.UTF_8));
    }
}
