package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * RFC 2180 §4.1.1: a message one view expunged stays readable for the other views that still show
 * it, and is let go once each of them has reported the expunge, been closed, or when none exists.
 */
class ExpungedHoldsTest {
    @TempDir
    Path root;
    Semaphore budget;
    MailboxState state;

    @BeforeEach
    void fill() throws IOException {
        budget = new Semaphore(8);
        var store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(root.resolve("u")).mailbox("INBOX");
        state = new MailboxState("u", "INBOX", store, true, false, budget,
                new FileLookups(IndexOptions.DEFAULT_FILE_LOOKUP_THREADS), 1 << 20, IndexOptions.DEFAULT_MAX_EXPUNGED_RANGES,
                Quotas.unlimited(), new DescriptorBudget(Integer.MAX_VALUE));
        for (int i = 0; i < 4; i++) {
            state.append(IndexPersistenceTest.message(i), Set.of(), Set.of(), Instant.parse("2024-01-01T00:00:00Z"));
        }
    }

    private String read(StoredMessage m) throws IOException {
        try (var in = state.open(m)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void heldUntilEveryOtherViewHasReportedTheExpunge() throws IOException {
        var expunger = new MailboxView(state, false);
        var b = new MailboxView(state, false);
        var c = new MailboxView(state, true);
        var first = expunger.message(1);
        state.expunge(List.of(first, expunger.message(2)), expunger);
        expunger.sync(true);
        assertTrue(state.isHeld(first.uid()));
        assertEquals(6, budget.availablePermits());

        b.sync(false); // a FETCH: the expunge may not be reported yet
        assertEquals("Subject: m0\r\n\r\nbody 0\r\n", read(b.message(1)));
        assertEquals("Subject: m0\r\n\r\nbody 0\r\n", read(b.message(1)), "read again from the start");
        assertNotNull(state.structure(b.message(1)), "its structure too");
        b.sync(true);
        assertTrue(state.isHeld(first.uid()), "c still shows it");
        c.close();
        assertFalse(state.isHeld(first.uid()));
        assertEquals(8, budget.availablePermits());
        assertThrows(MessageNotFoundException.class, () -> read(first));
    }

    @Test
    void nothingIsHeldWhenNoOtherViewShowsTheMessages() throws IOException {
        var alone = new MailboxView(state, false);
        var first = alone.message(1);
        state.expunge(List.of(first), alone);
        assertFalse(state.isHeld(first.uid()));
        assertEquals(8, budget.availablePermits());
    }

    @Test
    void aViewMadeAfterTheExpungeNeedsNoHold() throws IOException {
        var before = new MailboxView(state, false);
        var first = before.message(1);
        state.expunge(List.of(first)); // by no view (POP3): every view may show it
        assertTrue(state.isHeld(first.uid()));
        var after = new MailboxView(state, false);
        after.sync(true);
        assertTrue(state.isHeld(first.uid()));
        before.sync(true);
        assertFalse(state.isHeld(first.uid()));
    }

    @Test
    void theBudgetBoundsTheHolds() throws IOException {
        budget.drainPermits();
        budget.release(1);
        var expunger = new MailboxView(state, false);
        var other = new MailboxView(state, false);
        var first = expunger.message(1);
        var second = expunger.message(2);
        state.expunge(List.of(first, second), expunger);
        assertTrue(state.isHeld(first.uid()));
        assertFalse(state.isHeld(second.uid()));
        assertThrows(MessageNotFoundException.class, () -> read(other.message(2)));
        expunger.sync(true);
        other.close();
        assertEquals(1, budget.availablePermits());
    }
}
