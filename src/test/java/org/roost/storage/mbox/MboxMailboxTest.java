package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;

/** The mbox driver on its own: what it writes, what it reads back, and what other programs may do meanwhile. */
class MboxMailboxTest {
    @TempDir
    Path dir;

    static MboxOptions testOptions() {
        return new MboxOptions(false, List.of(LockMethod.FCNTL), List.of(LockMethod.DOTLOCK, LockMethod.FCNTL),
                Duration.ofSeconds(2), Duration.ofMinutes(2), ZoneOffset.UTC);
    }

    private final List<MailStore> opened = new ArrayList<>();

    private MailStore store() throws IOException {
        var store = new MboxDriver(MailLocation.parse("mbox:" + dir + "/%u"), testOptions()).open("alice");
        opened.add(store);
        return store;
    }

    /** What waits for a delay (a time stamp moved on after the second of a change) is done before the files go. */
    @AfterEach
    void flushOpened() throws IOException {
        for (var store : opened) {
            store.flush();
        }
    }

    private Path inboxFile() {
        return dir.resolve("alice/inbox");
    }

    private String file() throws IOException {
        return Files.readString(inboxFile(), StandardCharsets.ISO_8859_1);
    }

    static StoredMessage append(MailboxStore box, String message, Set<SystemFlag> flags, Set<String> keywords)
            throws IOException {
        return box.append(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), flags, keywords,
                Instant.parse("2024-01-02T03:04:05Z"));
    }

    static String read(MailboxStore box, StoredMessage m) throws IOException {
        try (var in = box.open(m)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** What a client sees: bare LF as CRLF. */
    private static byte[] clientView(byte[] bytes) throws IOException {
        return new CrlfInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
    }

    /**
     * A file whose last message has no line end (cut short, or written by a program that does not end
     * its lines) takes new messages, and what clients saw of the old last message does not change.
     */
    @ParameterizedTest
    @ValueSource(strings = {"no line end", "one line end\n", "crlf\r\n", "two line ends\n\n"})
    void appendsAfterTheLastMessageHoweverItEnds(String ending) throws IOException {
        Files.createDirectories(inboxFile().getParent());
        Files.writeString(inboxFile(), "From a@example.com Mon Jan  5 09:00:00 2026\nSubject: first\n\nbody\n\n"
                + "From a@example.com Mon Jan  5 09:01:00 2026\nSubject: last\n\n" + ending,
                StandardCharsets.ISO_8859_1);
        var inbox = store().mailbox("INBOX");
        var before = inbox.scan();
        var last = read(inbox, before.get(1));
        var appended = append(inbox, "Subject: new\r\n\r\nhello\r\n", Set.of(), Set.of());
        var after = inbox.scan();
        assertEquals(3, after.size(), ending);
        assertEquals(last, read(inbox, after.get(1)), ending);
        assertTrue(read(inbox, appended).endsWith("\nhello\n"), read(inbox, appended));
        assertTrue(MboxFileCheck.problems(inboxFile()).isEmpty(), MboxFileCheck.problems(inboxFile()).toString());
        var restarted = store().mailbox("INBOX").scan();
        assertEquals(after.stream().map(StoredMessage::uid).toList(), restarted.stream().map(StoredMessage::uid).toList());
    }

    @Test
    void appendedMessagesReadBackExactlyAsClientsSentThem() throws IOException {
        var inbox = store().mailbox("INBOX");
        var random = new Random(3501);
        var pieces = new String[] {"From here on", ">From quoted", ">>From twice", "From x Mon Jan  5 10:00:00 2026",
            "plain", "", "\r", "a\r\r", "\u0000", "F", ">", "line"};
        for (int i = 0; i < 200; i++) {
            var message = new StringBuilder("Subject: m" + i + "\r\n");
            if (random.nextInt(10) > 0) {
                message.append("\r\n");
            }
            int lines = random.nextInt(6);
            for (int k = 0; k < lines; k++) {
                message.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? "\r\n" : "\n");
            }
            if (random.nextInt(4) == 0) {
                message.append("no line end");
            }
            var original = message.toString().getBytes(StandardCharsets.ISO_8859_1);
            var stored = inbox.append(new ByteArrayInputStream(original), Set.of(), Set.of(), Instant.now());
            var back = read(inbox, stored).getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(clientView(original), clientView(back), "message " + i + ": " + message);
            assertEquals(back.length, stored.physicalSize());
            assertEquals(clientView(back).length, stored.virtualSize());
        }
        // and after reading the whole file afresh
        var again = store().mailbox("INBOX");
        assertEquals(200, again.scan().size());
        for (var m : inbox.scan()) {
            assertEquals(read(inbox, m), read(again, m));
        }
    }

    /**
     * Seeded random appends, flag changes, expunges, copies and deliveries by another program: after each,
     * where the driver thinks every message lies (computed, not read again after its own writes) is where a
     * fresh scan of the file finds it, and a second store reading the file sees the same messages.
     */
    @Test
    void whatTheDriverKnowsAfterItsWritesIsWhatTheFileSays() throws IOException {
        var random = new Random(2020);
        var store = store();
        var inbox = (MboxMailbox) store.mailbox("INBOX");
        var words = new String[] {"From here", ">From", "plain", "", "x".repeat(200)};
        for (int step = 0; step < 150; step++) {
            var messages = inbox.scan();
            int op = random.nextInt(10);
            if (op < 4 || messages.isEmpty()) {
                var body = new StringBuilder("Subject: s" + step + "\r\n\r\n");
                for (int k = random.nextInt(5); k > 0; k--) {
                    body.append(words[random.nextInt(words.length)]).append("\r\n");
                }
                append(inbox, body.toString(), random.nextBoolean() ? EnumSet.of(SystemFlag.SEEN) : Set.of(),
                        random.nextBoolean() ? Set.of("k" + random.nextInt(5)) : Set.of());
            } else if (op < 7) {
                var updates = new ArrayList<MailboxStore.FlagUpdate>();
                for (var m : messages) {
                    if (random.nextInt(3) == 0) {
                        updates.add(new MailboxStore.FlagUpdate(m, random.nextBoolean() ? EnumSet.of(SystemFlag.FLAGGED)
                                : EnumSet.of(SystemFlag.ANSWERED, SystemFlag.DRAFT), random.nextBoolean()
                                ? Set.of("k" + random.nextInt(4), "j" + random.nextInt(4)) : Set.of()));
                    }
                }
                inbox.setFlags(updates);
            } else if (op < 9) {
                inbox.expunge(messages.stream().filter(m -> random.nextInt(4) == 0).toList());
            } else if (random.nextBoolean()) {
                inbox.copyTo(inbox, List.of(messages.get(random.nextInt(messages.size()))));
            } else {
                Files.writeString(inboxFile(), "From mta Wed Jan  3 10:00:00 2024\nSubject: delivered " + step
                        + "\n\nFrom the MTA\n\n", StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
            }
            var known = inbox.sync();
            try (var channel = java.nio.channels.FileChannel.open(inboxFile(), StandardOpenOption.READ)) {
                var found = Scanner.scan(channel, 0, channel.size(), ZoneOffset.UTC);
                var real = known.pseudo() == null ? found : found.subList(1, found.size());
                assertEquals(real.size(), known.messages().size(), "step " + step);
                for (int i = 0; i < real.size(); i++) {
                    var a = real.get(i);
                    var b = known.messages().get(i).found();
                    var place = List.of(a.offset(), (long) a.fromLength(), a.headerEnd(), a.bodyStart(), a.contentEnd(),
                            a.end(), a.metaStart(), a.metaEnd(), (long) a.metaCrc(), a.size(), a.virtualSize());
                    assertEquals(place, List.of(b.offset(), (long) b.fromLength(), b.headerEnd(), b.bodyStart(),
                            b.contentEnd(), b.end(), b.metaStart(), b.metaEnd(), (long) b.metaCrc(), b.size(),
                            b.virtualSize()), "step " + step + " message " + i);
                    assertEquals(a.meta().uid, known.messages().get(i).uid(), "step " + step);
                }
            }
            var fresh = store().mailbox("INBOX").scan();
            assertEquals(inbox.scan(), fresh, "step " + step);
        }
    }

    @Test
    void aDamagedOrStaleMapCostsOnlyAReadingOfTheFile() throws IOException {
        var inbox = store().mailbox("INBOX");
        for (int i = 1; i <= 20; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody\r\n", Set.of(), Set.of());
        }
        inbox.expunge(List.of(inbox.scan().get(3))); // writes the map at once
        var map = dir.resolve("alice/.imap/INBOX/" + MapFile.NAME);
        assertTrue(Files.exists(map));
        var expected = inbox.scan();
        var bytes = Files.readAllBytes(map);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(map, bytes);
        assertEquals(expected, store().mailbox("INBOX").scan(), "a damaged map is ignored");
        Files.writeString(inboxFile(), file() + "From mta Wed Jan  3 10:00:00 2024\nSubject: later\n\nx\n\n",
                StandardCharsets.ISO_8859_1);
        var fresh = store().mailbox("INBOX");
        assertEquals(20, fresh.scan().size(), "a map from before a delivery serves, the delivery read from the file");
    }

    /**
     * After a restart, reading a message looks it up in the map instead of reading the whole map (what
     * made the first FETCH ENVELOPE of a 100,000-message mbox cost 270 ms), and the whole map is read in
     * the background for the first write; a map entry that no longer matches the file's separator line
     * sends the read through an ordinary sync.
     */
    @Test
    void aReadAfterARestartLooksUpItsMessageWithoutReadingTheWholeMap() throws Exception {
        var inbox = store().mailbox("INBOX");
        for (int i = 1; i <= 20; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n", Set.of(), Set.of());
        }
        inbox.expunge(List.of(inbox.scan().get(3))); // writes the map at once
        var last = inbox.scan().getLast();
        var expected = read(inbox, last);
        ((MboxMailbox) inbox).close(); // as a restart: the file is not open

        var restarted = (MboxMailbox) store().mailbox("INBOX");
        assertEquals(expected, read(restarted, last));
        assertTrue(restarted.mapLookups() > 0, "the message was looked up in the map");
        restarted.awaitReadAhead();
        assertEquals(1, restarted.wholeMapReads(), "then the whole map was read in the background");

        var map = dir.resolve("alice/.imap/INBOX/" + MapFile.NAME);
        var bytes = Files.readAllBytes(map);
        bytes[bytes.length - 8 - 126 + 38] ^= 0x55; // the last entry's separator checksum
        Files.write(map, bytes);
        var damaged = (MboxMailbox) store().mailbox("INBOX");
        assertEquals(expected, read(damaged, last), "read through a sync of the file");
        damaged.awaitReadAhead();
        assertEquals(1, damaged.wholeMapReads(), "the damaged map was read once, and refused");

        restarted.setFlags(last, Set.of(SystemFlag.SEEN), Set.of());
        assertEquals(1, restarted.wholeMapReads(), "the write did not read the map again");
    }

    /**
     * Each piece of a message read from the map's entries comes with a place read anew from the map: a message
     * longer than a piece goes on from where it was, instead of starting over at every piece (which, before the
     * background sync settled the place, read the first piece again and again).
     */
    @Test
    void aLongMessageReadAfterARestartIsReadOncePieceByPiece() throws Exception {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: short\r\n\r\nbody\r\n", Set.of(), Set.of());
        append(inbox, "Subject: long\r\n\r\n" + "a line of the body\r\n".repeat(10_000), Set.of(), Set.of());
        inbox.expunge(List.of(inbox.scan().getFirst())); // writes the map at once
        var last = inbox.scan().getLast();
        var expected = read(inbox, last);
        ((MboxMailbox) inbox).close(); // as a restart: the file is not open

        var restarted = (MboxMailbox) store().mailbox("INBOX");
        assertEquals(expected, read(restarted, last));
        long pieces = 1 + (expected.length() + ExposedStream.PIECE - 1) / ExposedStream.PIECE; // the header, the body
        assertTrue(restarted.mapLookups() <= pieces, restarted.mapLookups() + " pieces looked up for " + pieces);
        restarted.close();
        restarted.awaitReadAhead();
    }

    /** A reader of the header alone (ENVELOPE, SORT) gets the header and its empty line, and no body is read. */
    @Test
    void theHeaderAloneIsTheHeaderAndItsEmptyLine() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: big\r\nFrom: a@b\r\n\r\n" + "From the body\r\n".repeat(5_000), Set.of(), Set.of());
        var message = inbox.scan().getFirst();

        try (var in = inbox.openHeader(message)) {
            assertEquals("Subject: big\nFrom: a@b\n\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        assertTrue(read(inbox, message).endsWith("\nFrom the body\n"), "the whole message, unquoted");
    }

    /**
     * A flag change writes the map a little later; a server that stops meanwhile writes it when it stops
     * ({@link MailStore#flush}), so its next start does not check every message against a stale map.
     */
    @Test
    void aStoppingServerWritesTheMapItHadPutOff() throws IOException {
        var store = store();
        var inbox = store.mailbox("INBOX");
        for (int i = 1; i <= 3; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody\r\n", Set.of(), Set.of());
        }
        inbox.expunge(List.of(inbox.scan().getFirst())); // writes the map at once
        var map = dir.resolve("alice/.imap/INBOX/" + MapFile.NAME);
        inbox.setFlags(inbox.scan().getLast(), Set.of(SystemFlag.FLAGGED), Set.of());
        assertEquals(Set.of(), MapFile.read(map).messages().getLast().flags(), "the map is written later");

        store.flush();
        assertEquals(Set.of(SystemFlag.FLAGGED), MapFile.read(map).messages().getLast().flags());
    }

    /** A mailbox closed (deleted or renamed) before its read-ahead does not open its file again. */
    @Test
    void theReadAheadLeavesAClosedMailboxAlone() throws Exception {
        var inbox = store().mailbox("INBOX");
        for (int i = 1; i <= 5; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody\r\n", Set.of(), Set.of());
        }
        inbox.expunge(List.of(inbox.scan().getFirst())); // writes the map at once
        var last = inbox.scan().getLast();
        ((MboxMailbox) inbox).close();

        var restarted = (MboxMailbox) store().mailbox("INBOX");
        read(restarted, last);
        restarted.close();
        restarted.awaitReadAhead();
        assertEquals(0, restarted.wholeMapReads());
    }

    @Test
    void theFileIsAsUwImapAndDovecotWriteIt() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: one\r\nStatus: RO\r\nX-UID: 99\r\n\r\nFrom the body\r\n", EnumSet.of(SystemFlag.SEEN),
                Set.of("$Junk"));
        append(inbox, "Subject: two\r\n\r\nbody\r\n", EnumSet.of(SystemFlag.ANSWERED, SystemFlag.DRAFT), Set.of());
        var text = file();
        assertTrue(text.startsWith("From MAILER-DAEMON Tue Jan  2 03:04:05 2024\nX-IMAPbase: "), text);
        assertTrue(text.contains(" 0000000002 $Junk\n"), text);
        assertTrue(text.contains("\nX-UID: 1\nStatus: RO\nContent-Length: 15\nX-Keywords: $Junk "), text);
        assertTrue(text.contains("\nX-UID: 2\nStatus: O\nX-Status: AT\nContent-Length: 5\nX-Keywords: "), text);
        assertTrue(text.contains("\nSubject: one\n\n>From the body\n\n"), "quoted, bookkeeping from the sender dropped: " + text);
        assertFalse(text.contains("X-UID: 99"), text);
        assertTrue(text.endsWith("\nSubject: two\n\nbody\n\n"), text);
    }

    @Test
    void flagChangesAreWrittenInPlaceWithoutMovingMessages() throws IOException {
        var inbox = store().mailbox("INBOX");
        var first = append(inbox, "Subject: one\r\n\r\nbody\r\n", Set.of(), Set.of());
        append(inbox, "Subject: two\r\n\r\nbody\r\n", Set.of(), Set.of());
        long size = Files.size(inboxFile());
        var second = inbox.scan().get(1);
        var before = file();
        int secondAt = before.indexOf("From MAILER-DAEMON", 1);
        var updated = inbox.setFlags(first, EnumSet.of(SystemFlag.FLAGGED, SystemFlag.SEEN), Set.of("work", "$Label1"));
        assertEquals(EnumSet.of(SystemFlag.FLAGGED, SystemFlag.SEEN), updated.flags());
        assertEquals(Set.of("work", "$Label1"), updated.keywords());
        assertEquals(size, Files.size(inboxFile()), "the padding took the change");
        var after = file();
        assertEquals(before.substring(secondAt), after.substring(secondAt), "the second message did not move");
        assertTrue(after.contains(" 0000000002 work $Label1\n") || after.contains(" 0000000002 $Label1 work\n"), after);
        var reread = store().mailbox("INBOX").scan();
        assertEquals(updated.flags(), reread.get(0).flags());
        assertEquals(updated.keywords(), reread.get(0).keywords());
        assertEquals(second.uid(), reread.get(1).uid());
        assertEquals("Subject: one\n\nbody\n", read(inbox, reread.get(0)));
    }

    @Test
    void flagsOfManyMessagesAreOneWrite() throws IOException {
        var inbox = (MboxMailbox) store().mailbox("INBOX");
        for (int i = 1; i <= 100; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody\r\n", Set.of(), Set.of());
        }
        var updates = inbox.scan().stream()
                .map(m -> new MailboxStore.FlagUpdate(m, EnumSet.of(SystemFlag.SEEN), Set.of("done"))).toList();
        long before = inbox.changesWritten();
        var updated = inbox.setFlags(updates);
        assertEquals(1, inbox.changesWritten() - before);
        assertEquals(100, updated.size());
        assertTrue(store().mailbox("INBOX").scan().stream().allMatch(m -> m.flags().equals(EnumSet.of(SystemFlag.SEEN))
                && m.keywords().equals(Set.of("done"))));
    }

    @Test
    void expungingFromTheMiddleLeavesWhatLiesBeforeIt() throws IOException {
        var inbox = store().mailbox("INBOX");
        for (int i = 1; i <= 5; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n", Set.of(), Set.of());
        }
        var messages = inbox.scan();
        var before = file();
        int third = before.indexOf("Subject: m3") - 200;
        inbox.expunge(List.of(messages.get(2)));
        var after = file();
        assertEquals(before.substring(0, before.lastIndexOf("From ", third)),
                after.substring(0, before.lastIndexOf("From ", third)));
        var left = store().mailbox("INBOX").scan();
        assertEquals(List.of(1L, 2L, 4L, 5L), left.stream().map(StoredMessage::uid).toList());
        assertEquals("Subject: m4\n\nbody 4\n", read(inbox, left.get(2)));
        assertThrows(MessageNotFoundException.class, () -> inbox.open(messages.get(2)));
    }

    @Test
    void expungingEverythingLeavesUwImapsPseudoMessageWithTheNextUid() throws IOException {
        var inbox = store().mailbox("INBOX");
        var a = append(inbox, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        var b = append(inbox, "Subject: b\r\n\r\nx\r\n", Set.of(), Set.of());
        long validity = inbox.uidValidity();
        inbox.expunge(List.of(a, b));
        var text = file();
        assertTrue(text.contains("Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA\n"), text);
        assertTrue(text.contains("X-IMAP: " + validity + " 0000000002\n"), text);
        var reopened = store().mailbox("INBOX");
        assertEquals(0, reopened.scan().size());
        assertEquals(validity, reopened.uidValidity());
        assertEquals(3, reopened.nextUid());
        var c = append(reopened, "Subject: c\r\n\r\nx\r\n", Set.of(), Set.of());
        assertEquals(3, c.uid());
        assertTrue(file().contains("X-IMAP: " + validity + " 0000000003\n"));
        assertEquals(List.of(3L), store().mailbox("INBOX").scan().stream().map(StoredMessage::uid).toList());
    }

    @Test
    void anMtaAppendGetsTheNextUidWrittenIntoTheFile() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        // procmail/postfix: a From_ line, the message with From lines quoted, an empty line; a forged X-UID
        Files.writeString(inboxFile(), "From mta@example.com Wed Jan  3 10:00:00 2024\nSubject: delivered\n"
                + "X-UID: 1\nStatus: RO\n\n>From the MTA\n\n", StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
        var messages = inbox.scan();
        assertEquals(List.of(1L, 2L), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(EnumSet.of(SystemFlag.SEEN), messages.get(1).flags(), "Status is trusted, as by Dovecot");
        assertEquals("Subject: delivered\n\nFrom the MTA\n", read(inbox, messages.get(1)));
        assertTrue(file().contains("\nX-UID: 2\n"), "written at once: " + file());
        assertEquals(List.of(1L, 2L), store().mailbox("INBOX").scan().stream().map(StoredMessage::uid).toList());
    }

    @Test
    void flagsAnotherServerChangedInPlaceAreSeenWithItsAppend() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        append(inbox, "Subject: b\r\n\r\nx\r\n", Set.of(), Set.of());
        inbox.scan();
        // Dovecot, in one session: \Seen on the first message in its padding, then a new message at the end
        var text = file().replaceFirst("Status: O\nContent-Length: 2\nX-Keywords: ", "Status: RO\nContent-Length: 2\nX-Keywords:");
        Files.writeString(inboxFile(), text + "From mta Wed Jan  3 10:00:00 2024\nSubject: c\n\nx\n\n",
                StandardCharsets.ISO_8859_1);
        var messages = inbox.scan();
        assertEquals(List.of(1L, 2L, 3L), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(EnumSet.of(SystemFlag.SEEN), messages.get(0).flags());
    }

    @Test
    void aRewriteByAnotherProgramKeepsTheUidsOfMessagesStillThere() throws IOException {
        var inbox = store().mailbox("INBOX");
        for (int i = 1; i <= 3; i++) {
            append(inbox, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n", Set.of(), Set.of());
        }
        // mutt deletes the first message and flags the second: the rest is written again with the status
        // headers, Content-Length and Lines at the end of the header; X-IMAPbase goes with message 1
        var messages = file().split("(?=From MAILER-DAEMON)");
        var rewritten = mutt(messages[1], "Status: O\nX-Status: F\n") + mutt(messages[2], "Status: O\n");
        Files.writeString(inboxFile(), rewritten, StandardCharsets.ISO_8859_1);
        var left = inbox.scan();
        assertEquals(List.of(2L, 3L), left.stream().map(StoredMessage::uid).toList());
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), left.get(0).flags());
        assertEquals("Subject: m2\n\nbody 2\n", read(inbox, left.get(0)));
        var next = append(inbox, "Subject: m4\r\n\r\nx\r\n", Set.of(), Set.of());
        assertEquals(4, next.uid(), "UIDs are never given twice");
        assertTrue(file().startsWith("From MAILER-DAEMON") && file().contains("X-IMAPbase: " + inbox.uidValidity()),
                "the mailbox's X-IMAPbase is back in the first message: " + file());
        assertEquals(List.of(2L, 3L, 4L), store().mailbox("INBOX").scan().stream().map(StoredMessage::uid).toList());
    }

    /** A message as mutt 2.2 writes it back: its status, Content-Length and Lines last in the header. */
    static String mutt(String message, String status) {
        int blank = message.indexOf("\n\n");
        var header = message.substring(0, blank + 1).replaceAll("(?m)^(Status|X-Status|Content-Length|X-IMAPbase): .*\n", "");
        var body = message.substring(blank + 2);
        int length = body.length() - 1;
        long lines = body.substring(0, length).chars().filter(c -> c == '\n').count();
        return header + status + "Content-Length: " + length + "\nLines: " + lines + "\n\n" + body;
    }

    @Test
    void aMessageWhoseContentChangedUnderItsUidIsANewMessage() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: a\r\n\r\nshort\r\n", Set.of(), Set.of());
        inbox.scan();
        Files.writeString(inboxFile(), file().replace("short", "much longer now"), StandardCharsets.ISO_8859_1);
        var messages = inbox.scan();
        assertEquals(List.of(2L), messages.stream().map(StoredMessage::uid).toList());
    }

    @Test
    void aTruncatedFileLosesOnlyWhatIsGone() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        long cut = Files.size(inboxFile());
        append(inbox, "Subject: b\r\n\r\nx\r\n", Set.of(), Set.of());
        try (var channel = java.nio.channels.FileChannel.open(inboxFile(), StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        assertEquals(List.of(1L), inbox.scan().stream().map(StoredMessage::uid).toList());
        assertEquals(3, append(inbox, "Subject: c\r\n\r\nx\r\n", Set.of(), Set.of()).uid());
    }

    @Test
    void anotherServerResettingUidValidityIsFollowed() throws IOException {
        var inbox = store().mailbox("INBOX");
        append(inbox, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        long old = inbox.uidValidity();
        Files.writeString(inboxFile(), file().replaceFirst("X-IMAPbase: " + old, "X-IMAPbase: 12345"),
                StandardCharsets.ISO_8859_1);
        inbox.scan();
        assertEquals(12345, inbox.uidValidity());
    }

    @Test
    void copiesKeepFlagsAndDatesAndTheSourceStays() throws IOException {
        var store = store();
        store.create("Archive");
        var inbox = store.mailbox("INBOX");
        var archive = store.mailbox("Archive");
        var a = append(inbox, "Subject: a\r\n\r\nFrom x\r\n", EnumSet.of(SystemFlag.FLAGGED), Set.of("k"));
        var copies = inbox.copyTo(archive, List.of(a));
        assertEquals(1, copies.getFirst().uid());
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), copies.getFirst().flags());
        assertEquals(Set.of("k"), copies.getFirst().keywords());
        assertEquals(a.internalDate(), copies.getFirst().internalDate());
        assertEquals(read(inbox, a), read(archive, copies.getFirst()));
        // within the same mailbox too
        var again = inbox.copyTo(inbox, List.of(a));
        assertEquals(2, again.getFirst().uid());
        assertEquals(read(inbox, a), read(inbox, again.getFirst()));
    }

    @Test
    void keywordsAreCheckedAndBounded() throws IOException {
        var inbox = store().mailbox("INBOX");
        assertThrows(InvalidKeywordException.class, () -> append(inbox, "S: x\r\n\r\n", Set.of(), Set.of("bad word")));
        var m = append(inbox, "S: x\r\n\r\n", Set.of(), Set.of());
        var many = new java.util.HashSet<String>();
        for (int i = 0; i <= Rewriter.MAX_KEYWORDS; i++) {
            many.add("k" + i);
        }
        assertThrows(InvalidKeywordException.class, () -> inbox.setFlags(m, Set.of(), many));
    }

    @Test
    void aStreamGoesOnWhenItsMessageMovesAndFailsWhenItIsGone() throws IOException {
        var inbox = store().mailbox("INBOX");
        var big = "Subject: big\r\n\r\n" + "0123456789abcdef\r\n".repeat(20_000);
        var first = append(inbox, "Subject: first\r\n\r\nx\r\n", Set.of(), Set.of());
        var second = append(inbox, big, Set.of(), Set.of());
        var third = append(inbox, "Subject: third\r\n\r\nx\r\n", Set.of(), Set.of());
        try (var in = inbox.open(second)) {
            var out = new ByteArrayOutputStream();
            out.write(in.readNBytes(100_000));
            inbox.expunge(List.of(first)); // the message moves towards the file's start
            inbox.setFlags(second, EnumSet.of(SystemFlag.SEEN), Set.of());
            out.write(in.readAllBytes());
            assertEquals(big.replace("\r\n", "\n"), out.toString(StandardCharsets.ISO_8859_1));
        }
        var in = inbox.open(third);
        inbox.expunge(List.of(third));
        assertThrows(MessageNotFoundException.class, in::read);
    }

    @Test
    void aHeldMessageStaysReadableAfterItsExpunge() throws IOException {
        var inbox = store().mailbox("INBOX");
        var m = append(inbox, "Subject: held\r\n\r\nbody\r\n", Set.of(), Set.of());
        try (var held = inbox.hold(m)) {
            inbox.expunge(List.of(m));
            assertEquals("Subject: held\n\nbody\n", new String(held.open().readAllBytes(), StandardCharsets.ISO_8859_1));
            assertEquals("Subject: held\n\nbody\n", new String(held.open().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void theChangeTokenMovesWithEveryWrite() throws IOException {
        var inbox = store().mailbox("INBOX");
        var before = inbox.changeToken();
        var m = append(inbox, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        var appended = inbox.changeToken();
        assertFalse(before.sameStamps(appended));
        inbox.setFlags(m, EnumSet.of(SystemFlag.SEEN), Set.of());
        assertFalse(appended.sameStamps(inbox.changeToken()));
    }

    @Test
    void mailboxesAreFilesInDovecotsLayout() throws IOException {
        var store = store();
        store.create("Lists/dev");
        store.create("Entwürfe");
        assertTrue(Files.isRegularFile(dir.resolve("alice/Lists/dev")));
        assertTrue(Files.isRegularFile(dir.resolve("alice/Entw&APw-rfe")));
        var names = new ArrayList<String>();
        store.list().forEach(i -> names.add(i.name() + (i.selectable() ? "" : " noselect")));
        assertEquals(List.of("Entwürfe", "INBOX", "Lists noselect", "Lists/dev"), names);
        store.subscribe("Lists/dev");
        assertEquals("V\t2\n\nLists\tdev\n", Files.readString(dir.resolve("alice/.subscriptions")));
        assertThrows(org.roost.mail.InvalidMailboxNameException.class, () -> store.create("Lists/dev/deeper"));
        assertThrows(org.roost.mail.InvalidMailboxNameException.class, () -> store.create(".imap"));
        assertThrows(org.roost.mail.InvalidMailboxNameException.class, () -> store.create("x.lock"));
        assertThrows(org.roost.mail.InvalidMailboxNameException.class, () -> store.create("../escape"));
        var dev = store.mailbox("Lists/dev");
        append(dev, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        store.rename("Lists/dev", "Archive/2024/dev");
        assertEquals(1, store.mailbox("Archive/2024/dev").scan().size());
        store.delete("Archive/2024/dev");
        assertFalse(Files.exists(dir.resolve("alice/Archive/2024/dev")));
        assertFalse(Files.exists(dir.resolve("alice/.imap/Archive/2024/dev")));
    }

    @Test
    void theIndexDirectoryIsKnownBeforeTheMailboxOpens() throws IOException {
        var store = store();
        store.create("Lists/dev");
        for (var name : List.of("INBOX", "inbox", "Lists/dev")) {
            assertEquals(store.mailbox(name).indexDirectory(), store.indexDirectory(name), name);
        }
        var inMemory = new MboxDriver(MailLocation.parse("mbox:" + dir + "/%u:INDEX=MEMORY"), testOptions()).open("bob");
        inMemory.create("Lists");
        assertEquals(null, inMemory.indexDirectory("Lists"));
        assertEquals(null, inMemory.mailbox("Lists").indexDirectory());
    }

    @Test
    void renamingInboxMovesItsMessagesAndKeepsItsUidValidity() throws IOException {
        var store = store();
        var inbox = store.mailbox("INBOX");
        append(inbox, "Subject: a\r\n\r\nx\r\n", EnumSet.of(SystemFlag.SEEN), Set.of());
        long validity = inbox.uidValidity();
        store.rename("INBOX", "Old");
        assertEquals(0, store.mailbox("INBOX").scan().size());
        assertEquals(validity, store.mailbox("INBOX").uidValidity());
        var old = store.mailbox("Old").scan();
        assertEquals(1, old.size());
        assertEquals(EnumSet.of(SystemFlag.SEEN), old.getFirst().flags());
        assertNotEquals(validity, store.mailbox("Old").uidValidity());
    }

    /**
     * A delivery is admitted to the quota with the size {@code prepare} measured before any lock is taken: it must
     * be the size the mailbox then shows, whatever the sender's bytes (CRLF, separators to quote, bookkeeping
     * headers of its own, no line end at the end, no body), or the quota drifts from its recount.
     */
    @Test
    void aPreparedMessageIsMeasuredAsTheMailboxWillShowIt() throws IOException {
        var inbox = store().mailbox("INBOX");
        var shapes = List.of("Subject: a\r\n\r\nline\r\nFrom me\r\n>From you\r\n",
                "Subject: b\nStatus: RO\nX-UID: 99\nX-Keywords: forged\n\nbody without a line end",
                "Subject: c\r\nX-Status: F\r\n", "Subject: d\r\r\n\r\nodd\r\r\n", "");
        for (var shape : shapes) {
            var prepared = inbox.prepare(new ByteArrayInputStream(shape.getBytes(StandardCharsets.ISO_8859_1)),
                    Instant.parse("2024-01-02T03:04:05Z"));
            try {
                var stored = inbox.commit(List.of(new PreparedMessage.Addition(prepared, Set.of(), Set.of()))).getFirst();
                var scanned = inbox.scan().getLast();
                assertEquals(scanned.physicalSize(), prepared.size(), shape);
                assertEquals(scanned.virtualSize(), prepared.virtualSize(), shape);
                assertEquals(stored.physicalSize(), prepared.size(), shape);
            } finally {
                inbox.discard(prepared);
            }
        }
    }

    /** One commit of several prepared messages is one change of the file; a discarded one leaves nothing. */
    @Test
    void preparedMessagesAreCommittedTogether() throws IOException {
        var inbox = (MboxMailbox) store().mailbox("INBOX");
        var date = Instant.parse("2024-01-02T03:04:05Z");
        var first = inbox.prepare(new ByteArrayInputStream("Subject: 1\n\none\n".getBytes(StandardCharsets.US_ASCII)), date);
        var second = inbox.prepare(new ByteArrayInputStream("Subject: 2\n\ntwo\n".getBytes(StandardCharsets.US_ASCII)), date);
        long changes = inbox.changesWritten();
        var stored = inbox.commit(List.of(new PreparedMessage.Addition(first, Set.of(SystemFlag.SEEN), Set.of()),
                new PreparedMessage.Addition(second, Set.of(), Set.of("$label1"))));
        inbox.discard(first);
        inbox.discard(second);
        assertEquals(changes + 1, inbox.changesWritten());
        assertEquals(List.of(stored.get(0).uid() + 1), List.of(stored.get(1).uid()));
        assertEquals("Subject: 2\n\ntwo\n", read(inbox, stored.get(1)));
        assertEquals(Set.of("$label1"), inbox.scan().getLast().keywords());
        try (var files = Files.list(dir.resolve("alice"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains("roost-new")).toList());
        }
    }
}
