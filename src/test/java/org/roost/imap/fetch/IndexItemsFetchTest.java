package org.roost.imap.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.command.MessageSets;
import org.roost.imap.command.TestContexts;
import org.roost.imap.protocol.Fetch;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.ImapDates;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.SequenceSet;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;
import org.roost.testing.SeededMailbox;

/**
 * FETCH of index-only items (UID, FLAGS, INTERNALDATE, RFC822.SIZE) formats from the view's
 * columns; its bytes must be those of the general path, which formats from message objects.
 */
class IndexItemsFetchTest {
    private static final List<FetchItem> INDEX_ITEMS = List.of(new FetchItem.Uid(), new FetchItem.Flags(),
            new FetchItem.InternalDate(), new FetchItem.Rfc822Size());
    @TempDir
    Path root;

    @Test
    void answersByteForByteAsTheGeneralPath() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            var mailbox = new SeededMailbox(root.resolve("s" + seed), seed);
            var random = mailbox.random();
            // implicit \Seen of a body fetch, adopted by the view
            fetch(mailbox.mine, false, "3:17,40", true, List.of(bodyText(false)));
            for (int round = 0; round < 60; round++) {
                var items = new ArrayList<>(INDEX_ITEMS);
                java.util.Collections.shuffle(items, random);
                var chosen = List.copyOf(items.subList(0, random.nextInt(1, items.size() + 1)));
                var view = random.nextBoolean() ? mailbox.mine : mailbox.other;
                boolean uid = random.nextBoolean();
                var set = randomSet(random, uid ? view.uid(view.count()) : view.count());
                assertEquals(fetch(view, uid, set, false, chosen), fetch(view, uid, set, true, chosen),
                        "seed " + seed + ": " + (uid ? "UID " : "") + "FETCH " + set + " " + chosen);
            }
        }
    }

    @Test
    void showsTheImplicitSeenOfABodyFetch() throws IOException {
        var state = new SeededMailbox(root, 7).state;
        var m = state.append(new java.io.ByteArrayInputStream("Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(SystemFlag.FLAGGED), Set.of("Todo"), Instant.parse("2024-06-01T12:00:00Z"));
        var view = new MailboxView(state, false);
        int seq = view.sequenceOf(m.uid());
        assertEquals("* " + seq + " FETCH (BODY[TEXT] {4}\r\nhi\r\n FLAGS (\\Seen \\Flagged \\Recent Todo))\r\n",
                fetch(view, false, String.valueOf(seq), true, List.of(bodyText(false))));
        assertEquals("* " + seq + " FETCH (UID " + m.uid() + " FLAGS (\\Seen \\Flagged \\Recent Todo))\r\n",
                fetch(view, true, String.valueOf(m.uid()), true, List.of(new FetchItem.Flags())));
    }

    @Test
    void showsOwnChangesAtOnceAndOthersAfterSync() throws IOException {
        var state = new SeededMailbox(root, 8).state;
        var m = state.append(new java.io.ByteArrayInputStream("Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(), Set.of(), Instant.parse("2024-06-01T12:00:00Z"));
        var mine = new MailboxView(state, false);
        var theirs = new MailboxView(state, false);
        int seq = mine.sequenceOf(m.uid());
        var items = List.<FetchItem>of(new FetchItem.Flags(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size());
        var date = "INTERNALDATE \"" + ImapDates.formatDateTime(m.internalDate()) + "\"";
        mine.adopt(state.setFlags(List.of(new MailboxState.FlagChange(m, Set.of(SystemFlag.ANSWERED), Set.of("$Junk"))),
                MailboxState.UNCONDITIONAL));
        assertEquals("* " + seq + " FETCH (FLAGS (\\Answered \\Recent $Junk) " + date
                + " RFC822.SIZE 18)\r\n", fetch(mine, false, String.valueOf(seq), true, items), "own change, adopted");
        assertEquals("* " + seq + " FETCH (FLAGS () " + date + " RFC822.SIZE 18)\r\n",
                fetch(theirs, false, String.valueOf(seq), true, items), "another session's change, not yet synced");
        theirs.sync(true);
        assertEquals("* " + seq + " FETCH (FLAGS (\\Answered $Junk))\r\n",
                fetch(theirs, false, "*", true, List.of(new FetchItem.Flags())), "after the sync");
    }

    private static FetchItem bodyText(boolean peek) {
        return new FetchItem.Section(peek, new int[0], FetchItem.SectionText.TEXT, List.of(), FetchItem.Section.NO_PARTIAL,
                FetchItem.Section.NO_PARTIAL, null);
    }

    private static String randomSet(java.util.Random random, long largest) {
        var parts = new ArrayList<String>();
        for (int i = random.nextInt(1, 4); i > 0; i--) {
            long a = random.nextLong(1, largest + 1);
            long b = random.nextLong(1, largest + 1);
            parts.add(switch (random.nextInt(4)) {
                case 0 -> String.valueOf(a);
                case 1 -> a + ":*";
                case 2 -> "1:*";
                default -> b + ":" + a;
            });
        }
        return String.join(",", parts);
    }

    private static String fetch(MailboxView view, boolean uid, String set, boolean indexPath, List<FetchItem> items)
            throws IOException {
        var bytes = new ByteArrayOutputStream();
        Reply reply;
        try {
            reply = new FetchCommand(indexPath, 200).execute(new Fetch("t", uid, SequenceSet.parse(set), items),
                    TestContexts.selected(view, bytes, Cancellation.never()));
        } catch (MessageSets.InvalidSet e) {
            throw new AssertionError(set, e);
        }
        assertEquals(ImapWriter.Status.OK, reply.status(), reply.text());
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
