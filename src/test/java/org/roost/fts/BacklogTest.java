package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the backlog hands to the indexer: every message that came is either counted for a search, handed over, or
 * in a mailbox handed over after it; no user's count passes the bound unless handed over; and the mailboxes counted
 * stay within their bound whatever floods in.
 */
class BacklogTest {
    @Test
    void aMailboxsFirstChangeGoesAtOnceThenChangesWaitUntilTheUserPassesTheBound() {
        var backlog = new Backlog(3, 100);
        assertEquals(List.of(new Backlog.Mailbox("u", "INBOX")), backlog.changed("u", "INBOX", 1), "not known yet");
        backlog.catchingUp("u", "INBOX");
        assertEquals(List.of(), backlog.changed("u", "INBOX", 2));
        assertEquals(List.of(new Backlog.Mailbox("u", "Lists")), backlog.changed("u", "Lists", 1), "not known yet");
        backlog.catchingUp("u", "Lists");
        assertEquals(List.of(), backlog.changed("u", "Lists", 1));
        assertEquals(3, backlog.waiting("u"));
        assertEquals(List.of(), backlog.changed("u", "Lists", 0), "an expunge adds nothing");
        var due = backlog.changed("u", "Lists", 1);
        assertEquals(2, due.size(), "past the bound: every changed mailbox of the user");
        assertTrue(due.containsAll(List.of(new Backlog.Mailbox("u", "INBOX"), new Backlog.Mailbox("u", "Lists"))));
        backlog.catchingUp("u", "INBOX");
        backlog.catchingUp("u", "Lists");
        assertEquals(0, backlog.waiting("u"));
    }

    @Test
    void aMailboxCaughtUpBeforeItsFirstChangeIsKnown() {
        var backlog = new Backlog(3, 100);
        backlog.catchingUp("u", "INBOX"); // a search's catch-up, or a rebuild
        assertEquals(List.of(), backlog.changed("u", "INBOX", 1));
        assertEquals(1, backlog.waiting("u"));
    }

    @Test
    void aBoundOfZeroHandsEveryChangeOver() {
        var backlog = new Backlog(0, 100);
        backlog.catchingUp("u", "INBOX");
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(new Backlog.Mailbox("u", "INBOX")), backlog.changed("u", "INBOX", 1));
        }
        assertEquals(0, backlog.mailboxes(), "nothing counted");
    }

    /**
     * A flood over many users and mailboxes, with catch-ups in between: each message is accounted for, as
     * waiting or handed over; the mailboxes counted never pass their bound, nor a user's count its bound for long.
     */
    @Test
    void aFloodOverManyUsersAndMailboxesStaysBoundedAndLosesNothing() {
        int perUser = 20;
        int maxMailboxes = 50;
        var backlog = new Backlog(perUser, maxMailboxes);
        var random = new Random(13);
        Map<Backlog.Mailbox, Long> unindexed = new HashMap<>();
        Map<Backlog.Mailbox, Boolean> handedOver = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            var mailbox = new Backlog.Mailbox("user" + random.nextInt(i % 1000 < 500 ? 3 : 400),
                    "box" + random.nextInt(random.nextInt(8) + 1));
            int added = random.nextInt(4);
            unindexed.merge(mailbox, (long) added, Long::sum);
            for (var due : backlog.changed(mailbox.user(), mailbox.name(), added)) {
                handedOver.put(due, true);
            }
            assertTrue(backlog.mailboxes() <= maxMailboxes, "mailboxes counted: " + backlog.mailboxes());
            if (random.nextInt(10) == 0 && !handedOver.isEmpty()) { // the indexer takes one
                var taken = handedOver.keySet().iterator().next();
                handedOver.remove(taken);
                backlog.catchingUp(taken.user(), taken.name()).forEach(due -> handedOver.put(due, true));
                unindexed.remove(taken);
            }
            if (i % 7 == 0) {
                for (String user : List.of("user0", "user1", "user2")) {
                    assertAccountedFor(backlog, user, perUser, unindexed, handedOver);
                }
            }
        }
    }

    /**
     * {@code user}'s unindexed messages in mailboxes not handed over are within the bound (a search reads no more),
     * and the backlog counts no more messages than came.
     */
    private static void assertAccountedFor(Backlog backlog, String user, int perUser, Map<Backlog.Mailbox, Long> unindexed,
            Map<Backlog.Mailbox, Boolean> handedOver) {
        long left = 0;
        long all = 0;
        for (var e : unindexed.entrySet()) {
            if (e.getKey().user().equals(user)) {
                all += e.getValue();
                left += handedOver.containsKey(e.getKey()) ? 0 : e.getValue();
            }
        }
        assertTrue(left <= perUser, user + " has " + left + " unindexed messages nobody will index");
        assertTrue(backlog.waiting(user) <= all, "counts no more than came");
    }
}
