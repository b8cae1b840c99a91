package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.SystemFlag;

/** Sessions' views over the shared columnar state: RFC 3501 §5.2/§7.4.1 reporting rules. */
class MailboxViewTest {
    @TempDir
    Path root;
    private MailboxState state;

    @BeforeEach
    void fill() throws IOException {
        var persistence = new IndexPersistenceTest();
        persistence.root = root;
        state = persistence.cache().open("u", "INBOX");
        for (int i = 0; i < 5; i++) {
            state.append(IndexPersistenceTest.message(i), i < 2 ? Set.of(SystemFlag.SEEN) : Set.of(),
                    Set.of(), Instant.parse("2024-01-01T00:00:00Z"));
        }
    }

    @Test
    void ownFlagChangesAreNotReportedBackOthersAre() throws IOException {
        var a = new MailboxView(state, false);
        var b = new MailboxView(state, false);
        var updated = state.setFlags(List.of(new MailboxState.FlagChange(a.message(3), Set.of(SystemFlag.FLAGGED),
                Set.of("$Todo"))), MailboxState.UNCONDITIONAL);
        a.adopt(updated);
        assertTrue(a.message(3).flags().contains(SystemFlag.FLAGGED));
        assertEquals(0, a.sync(true).flagChangedSequences().length);
        assertArrayEquals(new int[] {3}, b.sync(true).flagChangedSequences());
        assertEquals(Set.of("$Todo"), b.message(3).keywords());
        assertEquals(Set.of("$Todo"), b.keywordsInUse());
        assertEquals(3, b.firstUnseenSequence());
    }

    @Test
    void ownChangeUndoneByAnotherBeforeTheSyncIsReportedWithTheOthersChanges() throws IOException {
        var a = new MailboxView(state, false);
        var b = new MailboxView(state, false);
        a.adopt(state.setFlags(List.of(new MailboxState.FlagChange(a.message(3), Set.of(SystemFlag.FLAGGED),
                Set.of())), MailboxState.UNCONDITIONAL));
        var undo = new MailboxState.FlagChange(b.message(3), Set.of(), Set.of());
        var first = new MailboxState.FlagChange(b.message(1), Set.of(SystemFlag.ANSWERED), Set.of("$Todo"));
        var last = new MailboxState.FlagChange(b.message(5), Set.of(SystemFlag.DELETED), Set.of());
        state.setFlags(List.of(undo, first, last), MailboxState.UNCONDITIONAL);
        assertTrue(a.message(3).flags().contains(SystemFlag.FLAGGED), "shown as made until synced");
        assertArrayEquals(new int[] {1, 3, 5}, a.sync(true).flagChangedSequences());
        assertFalse(a.message(3).flags().contains(SystemFlag.FLAGGED));
        assertArrayEquals(new int[] {1, 5}, b.sync(true).flagChangedSequences(), "message 3 is as b saw it");
        assertEquals(0, a.sync(true).flagChangedSequences().length);
    }

    @Test
    void expungesWaitUntilTheyMayBeReported() throws IOException {
        var a = new MailboxView(state, false);
        var b = new MailboxView(state, false);
        long uid2 = b.uid(2);
        state.expunge(List.of(a.message(2), a.message(4)));
        var held = b.sync(false);
        assertEquals(0, held.expungedSequences().length);
        assertEquals(5, b.count());
        assertEquals(uid2, b.message(2).uid(), "still addressable until reported");
        assertTrue(b.hasPendingChanges());
        state.append(IndexPersistenceTest.message(9), Set.of(), Set.of(), Instant.now());
        var still = b.sync(false);
        assertTrue(still.countChanged());
        assertEquals(6, b.count());
        var reported = b.sync(true);
        assertArrayEquals(new int[] {4, 2}, reported.expungedSequences());
        assertEquals(4, b.count());
        assertFalse(b.hasPendingChanges());
        assertEquals(0, b.sequenceOf(uid2));
    }

    @Test
    void newMessagesAreRecentInExactlyOneView() throws IOException {
        var a = new MailboxView(state, false);
        var b = new MailboxView(state, false);
        assertEquals(5, a.recentCount());
        assertEquals(0, b.recentCount());
        state.append(IndexPersistenceTest.message(7), Set.of(), Set.of(), Instant.now());
        assertTrue(b.sync(true).countChanged());
        assertTrue(a.sync(true).countChanged());
        assertEquals(1, b.recentCount());
        assertEquals(5, a.recentCount());
        assertEquals(6, a.count());
    }
}
