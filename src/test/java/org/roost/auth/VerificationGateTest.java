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
        var authenticator = new Authenticator(database, new LoginGuard(LoginGuard.Policy.none(), InstantSource.system()),
                gate, LoginEvents.NONE, Authenticator.Pause.SLEEP);
        var results = new ConcurrentLinkedQueue<LoginAttempt.Result>();
        Runnable login = () -> results.add(authenticator.login("imap", null, "u", "pw".getBytes(StandardCharsets.UTF_8)));
        var first = Thread.ofVirtual().start(login);
        var second = Thread.ofVirtual().start(login);
        inLookup.acquire(2);
        var third = Thread.ofVirtual().start(login);
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
}
