package org.roost.imap.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.command.TestContexts;
import org.roost.imap.protocol.Fetch;
import org.roost.imap.protocol.FetchItem;
import org.roost.mail.SequenceSet;
import org.roost.net.Cancellation;
import org.roost.testing.SeededMailbox;

/** A FETCH of many messages asks, as it goes, whether it is still wanted, on both of its paths. */
class FetchCancellationTest {
    @TempDir
    Path root;

    /** Lets {@code checks} checks pass, then cancels, as a kick would. */
    private static Cancellation after(int checks) {
        int[] left = {checks};
        return () -> {
            if (left[0]-- == 0) {
                throw new Cancellation.Cancelled(false);
            }
        };
    }

    /** The lines a FETCH FLAGS of the 160 seeded messages wrote before it was cancelled. */
    private List<String> cancelledFetch(Cancellation cancellation, boolean indexPath) throws Exception {
        var view = new SeededMailbox(root, 11).mine;
        var bytes = new ByteArrayOutputStream();
        var context = TestContexts.selected(view, bytes, cancellation);
        assertThrows(Cancellation.Cancelled.class, () -> new FetchCommand(indexPath, 200)
                .execute(new Fetch("t", false, SequenceSet.parse("1:*"), List.of(new FetchItem.Flags())), context));
        return bytes.toString(StandardCharsets.US_ASCII).lines().toList();
    }

    @Test
    void theGeneralPathChecksBeforeEachMessage() throws Exception {
        var lines = cancelledFetch(after(7), false);
        assertEquals(7, lines.size(), "the messages answered before the cancel, and nothing after: " + lines);
        assertEquals("* 7 FETCH (FLAGS", lines.getLast().substring(0, 16));
    }

    /** Its lines cost tens of nanoseconds, so it checks every 64 of them. */
    @Test
    void theIndexPathChecksEvery64Messages() throws Exception {
        var lines = cancelledFetch(after(1), true);
        assertEquals(64, lines.size(), "the messages answered before the cancel, and nothing after: " + lines);
        assertEquals("* 64 FETCH (FLAGS", lines.getLast().substring(0, 17));
    }
}
