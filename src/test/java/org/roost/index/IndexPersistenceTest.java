package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** The index files carry a mailbox across a restart: opened without listing the Maildir, same UIDs and flags. */
class IndexPersistenceTest {
    @TempDir
    Path root;

    IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
    }

    static ByteArrayInputStream message(int i) {
        return new ByteArrayInputStream(("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A mailbox with some history: appends, flag and keyword changes, an expunge. */
    static List<String> fill(MailboxState state) throws IOException {
        settle(state);
        for (int i = 0; i < 6; i++) {
            state.append(message(i), i % 2 == 0 ? Set.of(SystemFlag.SEEN) : Set.of(),
                    i == 3 ? Set.of("$Work") : Set.of(), Instant.parse("2024-02-01T10:00:00Z").plusSeconds(i));
        }
        var s = state.current();
        state.setFlags(List.of(new MailboxState.FlagChange(s.message(1), Set.of(SystemFlag.FLAGGED), Set.of("Later"))));
        state.expunge(List.of(state.current().message(2)));
        return describe(state.current());
    }

    /**
     * Waits until the Maildir's time stamps are old enough to prove that nothing changes within
     * their clock tick, and lets the state record them: from then on its own writes keep it in step.
     */
    static void settle(MailboxState state) throws IOException {
        try {
            Thread.sleep(120);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.refresh(true);
    }

    static void pause() {
        try {
            Thread.sleep(120);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> describe(MailboxSnapshot s) {
        var out = new ArrayList<String>();
        for (var m : s.messages()) {
            out.add(describe(m));
        }
        return out;
    }

    /**
     * The messages as a command sees them once it has looked up their dates and sizes: a mailbox built
     * from the mail (first open, rebuild) has not looked at the files yet.
     */
    static List<String> describeFound(MailboxState state) throws IOException {
        new MailboxView(state, true).learnAll(EnumSet.allOf(Fact.class), Cancellation.never());
        return describe(state.current());
    }

    static String describe(StoredMessage m) {
        return m.uid() + " " + m.key() + " " + new java.util.TreeSet<>(m.flags()) + " " + m.keywords() + " "
                + m.internalDate() + " " + m.physicalSize() + "/" + m.virtualSize();
    }

    @Test
    void reopenReadsTheIndexInsteadOfListing() throws IOException {
        var expected = fill(cache().open("u", "INBOX"));
        assertTrue(Files.exists(root.resolve("u/roost.index")));
        var reopened = cache().open("u", "INBOX");
        assertEquals(0, reopened.scans(), "opened from the index without a listing");
        assertEquals(expected, describe(reopened.current()));
        assertEquals(expected.size(), reopened.refresh(true).count());
        assertEquals(0, reopened.scans());
    }

    @Test
    void selectNumbersRightAfterReopeningMatchTheMessages() throws IOException {
        fill(cache().open("u", "INBOX")); // its last changes are in the log, not yet in the index file
        var reopened = cache().open("u", "INBOX");
        var view = new MailboxView(reopened, true);
        // Asked at once: answered from the log's last commit while the records are still being read.
        var answers = List.of(view.count(), view.firstUnseenSequence(), view.keywordsInUse(),
                reopened.current().unseenCount(), reopened.current().totalVirtualSize());
        var messages = reopened.current().messages();
        int firstUnseen = 0;
        var keywords = new java.util.TreeSet<String>();
        long size = 0;
        for (int i = messages.length - 1; i >= 0; i--) {
            firstUnseen = messages[i].flags().contains(SystemFlag.SEEN) ? firstUnseen : i + 1;
            keywords.addAll(messages[i].keywords());
            size += messages[i].virtualSize();
        }
        long unseen = java.util.Arrays.stream(messages).filter(m -> !m.flags().contains(SystemFlag.SEEN)).count();
        assertEquals(List.of(messages.length, firstUnseen, keywords, (int) unseen, size), answers);
    }

    @Test
    void messagesSeenBeforeARestartAreNotRecentEvenWhenTheUidListHeaderLags() throws IOException {
        var expected = fill(cache().open("u", "INBOX"));
        var uidList = root.resolve("u/dovecot-uidlist");
        var lines = Files.readAllLines(uidList);
        lines.set(0, lines.get(0).replaceFirst(" N\\d+", " N1")); // a header written by a tool that lost count
        Files.write(uidList, lines);
        var reopened = cache().open("u", "INBOX");
        var view = new MailboxView(reopened, false);
        assertEquals(expected.size(), view.count());
        assertEquals(0, view.recentCount(), "RFC 3501 §2.3.2: not new to this server");
    }

    @Test
    void messagesCanBeReadAfterOpeningFromTheIndex() throws IOException {
        fill(cache().open("u", "INBOX"));
        var reopened = cache().open("u", "INBOX");
        var m = reopened.current().message(1);
        try (var in = reopened.open(m)) {
            assertEquals("Subject: m1\r\n\r\nbody 1\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        reopened.setFlags(List.of(new MailboxState.FlagChange(m, Set.of(SystemFlag.ANSWERED), Set.of())));
        assertEquals(Set.of(SystemFlag.ANSWERED), cache().open("u", "INBOX").current().byUid(m.uid()).flags());
    }

    @Test
    void damagedIndexIsRebuiltWithTheSameUids() throws IOException {
        var expected = fill(cache().open("u", "INBOX"));
        var index = root.resolve("u/roost.index");
        var bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(index, bytes);
        pause();
        var reopened = cache().open("u", "INBOX");
        assertEquals(expected, describeFound(reopened));
        assertEquals(1, reopened.scans(), "the damaged records were found when read, and the mail scanned");
        var again = cache().open("u", "INBOX");
        assertEquals(expected, describe(again.current()));
        assertEquals(0, again.scans(), "the rebuilt index is used next time");
    }

    /**
     * Internal dates before 1970 and after 2106 (RFC 3501 allows years 0000-9999) live in the index,
     * through the log and through a rewrite of the index file, whatever the file system's mtimes hold.
     */
    @Test
    void internalDatesOfAnyYearSurviveTheLogAndTheIndexFile() throws IOException {
        var dates = List.of(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("1900-01-01T12:00:00Z"),
                Instant.parse("1969-12-31T23:59:59Z"), Instant.parse("2106-02-07T06:28:16Z"),
                Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("2024-01-01T00:00:00Z"));
        var state = cache().open("u", "INBOX");
        settle(state);
        for (int i = 0; i < dates.size(); i++) {
            state.append(message(i), Set.of(), Set.of(), dates.get(i));
        }
        var fromLog = cache().open("u", "INBOX");
        assertEquals(dates, java.util.Arrays.stream(fromLog.current().messages()).map(StoredMessage::internalDate).toList());
        var file = root.resolve("u/roost.index");
        IndexFile.write(file, fromLog.current().uidValidity(), fromLog.current().uidNext(), 1, null, 7,
                fromLog.current().table(), false);
        var read = IndexFile.open(file).table();
        for (int i = 0; i < dates.size(); i++) {
            assertEquals(dates.get(i).getEpochSecond(), read.internalDate(i), "row " + i + " of the index file");
        }
    }

    /**
     * Format 2 may hold dates cut to 1970-2106, each of the two formats 3 (wide dates; sizes measured
     * later) lays out what the other does not, and 4 cannot tell a date not looked up yet: such an
     * index is rebuilt from the mail, UIDs and flags kept.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void anIndexOfAnOlderFormatIsRebuiltFromTheMail(int version) throws IOException {
        var expected = fill(cache().open("u", "INBOX"));
        var index = root.resolve("u/roost.index");
        var bytes = Files.readAllBytes(index);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, version);
        Files.write(index, bytes);
        pause();
        long rebuilds = MailboxIndex.rebuilds();
        var reopened = cache().open("u", "INBOX");
        assertEquals(expected, describeFound(reopened));
        assertEquals(1, reopened.scans(), "rebuilt from a scan of the mail");
        assertEquals(rebuilds + 1, MailboxIndex.rebuilds());
        assertEquals(IndexFormat.VERSION, java.nio.ByteBuffer.wrap(Files.readAllBytes(index))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4));
    }

    @Test
    void outsideDeliveryWhileClosedIsFoundAtOpen() throws IOException {
        var expected = fill(cache().open("u", "INBOX"));
        Files.writeString(root.resolve("u/new/1700000000.M9P9.mta"), "Subject: late\n\nx\n");
        var reopened = cache().open("u", "INBOX");
        assertEquals(expected.size() + 1, reopened.current().count());
        assertEquals(expected, describe(reopened.current()).subList(0, expected.size()));
    }

    @Test
    void manyChangesFoldTheLogIntoTheIndex() throws IOException {
        var state = cache().open("u", "INBOX");
        fill(state);
        var log = root.resolve("u/roost.index.log");
        long largest = 0;
        for (int round = 0; round < 5000; round++) {
            var m = state.current().message(round % state.current().count());
            var flags = m.flags().contains(SystemFlag.SEEN) ? Set.<SystemFlag>of() : Set.of(SystemFlag.SEEN);
            state.setFlags(List.of(new MailboxState.FlagChange(m, flags, m.keywords())));
            largest = Math.max(largest, Files.size(log));
        }
        assertTrue(Files.size(log) < largest, "the log was folded and restarted");
        var expected = describe(state.current());
        assertEquals(expected, describe(cache().open("u", "INBOX").current()));
        long[] uids = state.current().table().count() == 0 ? new long[0]
                : java.util.stream.IntStream.range(0, state.current().count()).mapToLong(state.current()::uid).toArray();
        assertArrayEquals(uids, java.util.stream.IntStream.range(0, state.current().count())
                .mapToLong(cache().open("u", "INBOX").current()::uid).toArray());
    }

    @Test
    void unwritableIndexFilesCostSpeedNotService() throws IOException {
        Files.createDirectories(root.resolve("u/cur"));
        Files.createDirectories(root.resolve("u/roost.index.tmp")); // a directory where the file must go
        Files.createDirectories(root.resolve("u/roost.index.log"));
        var state = cache().open("u", "INBOX");
        var expected = fill(state);
        assertEquals(5, expected.size());
        assertEquals(expected, describeFound(cache().open("u", "INBOX")));
    }
}
