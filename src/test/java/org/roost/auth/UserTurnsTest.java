package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-user turns: which attempt runs, waits or is refused, decided without threads where possible. */
class UserTurnsTest {
    private final UserTurns turns = new UserTurns(AddressPenaltiesTest.DEFAULTS);

    private static AddressPenalties.Standing clean(String address) {
        return new AddressPenalties.Standing(address, 0, Duration.ZERO);
    }

    private static AddressPenalties.Standing failed(String address) {
        return new AddressPenalties.Standing(address, 3, Duration.ofSeconds(4));
    }

    @Test
    void oneCheckPerUserRunsAndTheNextTakesTheFreedTurnWhileOtherUsersAreUntouched() {
        var first = turns.take("alice", clean("192.0.2.1"));
        var second = turns.take("alice", clean("192.0.2.2"));
        var bob = turns.take("bob", clean("192.0.2.2"));
        assertTrue(first.holding());
        assertFalse(second.holding());
        assertFalse(second.refused());
        assertTrue(bob.holding());
        first.close();
        assertTrue(second.holding());
        second.close();
        bob.close();
        assertEquals(0, turns.busyUsers(), "no user is remembered once their checks are done");
    }

    @Test
    void fiftyAddressesGuessingAtOnceGetOneCheckFourWaitingAndFortyFiveRefusals() {
        var tickets = new ArrayList<UserTurns.Ticket>();
        for (int i = 1; i <= 50; i++) {
            tickets.add(turns.take("alice", clean("198.51.100." + i)));
        }
        assertEquals(1, tickets.stream().filter(UserTurns.Ticket::holding).count());
        assertEquals(45, tickets.stream().filter(UserTurns.Ticket::refused).count());
        tickets.forEach(UserTurns.Ticket::close);
        assertEquals(0, turns.busyUsers());
    }

    @Test
    void oneClientsParallelConnectionsAllWaitTheirTurnWhateverTheLimit() {
        var holder = turns.take("alice", clean("192.0.2.1"));
        for (int i = 2; i <= 5; i++) {
            turns.take("alice", clean("192.0.2." + i));
        }
        assertTrue(turns.take("alice", clean("192.0.2.99")).refused(), "a fifth other address is refused");
        for (int i = 0; i < 20; i++) {
            var sameClient = turns.take("alice", clean(i % 2 == 0 ? "192.0.2.1" : "192.0.2.3"));
            assertFalse(sameClient.refused(), "a connection of an address already in line waits behind it");
        }
        assertFalse(turns.take("alice", failed("192.0.2.1")).refused(), "also after it failed meanwhile");
        holder.close();
    }

    @Test
    void guessesFromFailedAddressesCanNeitherRefuseNorHoldBackACleanAddress() {
        var guess = turns.take("alice", failed("203.0.113.1"));
        var waitingGuesses = new ArrayList<UserTurns.Ticket>();
        for (int i = 2; i <= 5; i++) {
            waitingGuesses.add(turns.take("alice", failed("203.0.113." + i)));
        }
        assertTrue(turns.take("alice", failed("203.0.113.6")).refused(), "the failed addresses' room is full");
        var owner = turns.take("alice", clean("192.0.2.10"));
        assertFalse(owner.refused(), "the clean address has its own room");
        guess.close();
        assertTrue(owner.holding(), "a free turn goes to the clean address first");
        assertTrue(waitingGuesses.stream().noneMatch(UserTurns.Ticket::holding));
        owner.close();
        assertTrue(waitingGuesses.getFirst().holding(), "then the failed addresses, in order of arrival");
        waitingGuesses.forEach(UserTurns.Ticket::close);
        assertEquals(0, turns.busyUsers());
    }

    @Test
    void refusedAndTwiceClosedTicketsLeaveNothingBehind() {
        var holder = turns.take("alice", clean("192.0.2.1"));
        var refused = new ArrayList<UserTurns.Ticket>();
        for (int i = 2; i <= 10; i++) {
            refused.add(turns.take("alice", clean("192.0.2." + i)));
        }
        refused.forEach(UserTurns.Ticket::close);
        refused.forEach(UserTurns.Ticket::close);
        holder.close();
        holder.close();
        assertEquals(0, turns.busyUsers());
        assertTrue(turns.take("alice", clean("192.0.2.1")).holding());
    }

    @Test
    void moreTurnsPerUserLetThatManyChecksRunAtOnce() {
        var two = new UserTurns(new LoginPolicy(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1), 64, 10, 2, 0));
        assertTrue(two.take("alice", clean("192.0.2.1")).holding());
        assertTrue(two.take("alice", clean("192.0.2.2")).holding());
        assertTrue(two.take("alice", clean("192.0.2.3")).refused(), "no waiting room at all");
        assertFalse(two.take("alice", clean("192.0.2.1")).refused(), "but the address holding a turn may queue");
    }

    @Test
    @Timeout(30)
    void aWaiterInterruptedByAKickLeavesTheLine() throws Exception {
        var holder = turns.take("alice", clean("192.0.2.1"));
        var waiter = turns.take("alice", clean("192.0.2.2"));
        var outcome = new CompletableFuture<Throwable>();
        var waiting = Thread.ofVirtual().start(() -> {
            try {
                waiter.await();
                outcome.complete(null);
            } catch (InterruptedException e) {
                outcome.complete(e);
            }
        });
        while (waiting.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        waiting.interrupt();
        assertTrue(outcome.get() instanceof InterruptedException);
        holder.close();
        assertEquals(0, turns.busyUsers(), "the interrupted waiter is gone from the line");
    }

    @Test
    @Timeout(30)
    void aWaiterWakesWhenItIsGrantedTheTurn() throws Exception {
        var holder = turns.take("alice", clean("192.0.2.1"));
        var waiter = turns.take("alice", clean("192.0.2.2"));
        var done = CompletableFuture.runAsync(() -> {
            try {
                waiter.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        holder.close();
        done.get();
        assertTrue(waiter.holding());
        waiter.close();
    }

    /** Random takes and closes over few users and addresses: the limits hold and nobody waits beside a free turn. */
    @Test
    void seededRandomTrafficKeepsTheLimitsAndNeverStrandsAWaiter() {
        var policy = new LoginPolicy(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1), 64, 10, 2, 3);
        for (long seed = 1; seed <= 200; seed++) {
            var random = new Random(seed);
            var lines = new UserTurns(policy);
            var open = new ArrayList<Taken>();
            for (int step = 0; step < 300; step++) {
                if (open.isEmpty() || random.nextInt(3) > 0) {
                    var user = "u" + random.nextInt(3);
                    var address = "192.0.2." + random.nextInt(8);
                    var standing = random.nextBoolean() ? clean(address) : failed(address);
                    var ticket = lines.take(user, standing);
                    if (!ticket.refused()) {
                        open.add(new Taken(user, ticket));
                    }
                } else {
                    open.remove(random.nextInt(open.size())).ticket().close();
                }
                for (var user : List.of("u0", "u1", "u2")) {
                    var mine = open.stream().filter(t -> t.user().equals(user)).toList();
                    long holding = mine.stream().filter(t -> t.ticket().holding()).count();
                    assertTrue(holding <= 2, "seed " + seed + ": " + holding + " checks at once for " + user);
                    assertTrue(holding == Math.min(2, mine.size()), "seed " + seed + ": a waiter beside a free turn");
                }
            }
            open.forEach(t -> t.ticket().close());
            assertEquals(0, lines.busyUsers(), "seed " + seed);
        }
    }

    private record Taken(String user, UserTurns.Ticket ticket) {}
}
