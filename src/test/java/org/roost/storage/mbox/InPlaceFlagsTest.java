package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;
import org.roost.storage.PreparedMessage;

/**
 * Flag changes written over a message's bookkeeping block in place: the file reads as if it had been
 * rewritten whole (as UW-IMAP, Dovecot and mutt read Status, X-Status and X-Keywords), what does not fit
 * goes through the journal, and blocks other programs wrote are taken as they are.
 */
class InPlaceFlagsTest {
    @TempDir
    Path dir;

    /** Short names and long ones: three long ones overflow a block's padding. */
    private static final List<String> VOCABULARY = List.of("$Label1", "$Junk", "todo", "a-rather-long-keyword-one",
            "a-rather-long-keyword-two", "a-rather-long-keyword-three");
    private static final List<SystemFlag> FLAGS = List.of(SystemFlag.SEEN, SystemFlag.ANSWERED, SystemFlag.FLAGGED,
            SystemFlag.DRAFT, SystemFlag.DELETED);

    private final List<MboxMailbox> opened = new ArrayList<>();

    private MboxMailbox inbox(String user) throws IOException {
        var box = (MboxMailbox) new MboxDriver(MailLocation.parse("mbox:" + dir + "/%u"), MboxMailboxTest.testOptions())
                .open(user).mailbox("INBOX");
        opened.add(box);
        return box;
    }

    /** What waits for a delay (a time stamp moved on after the second of a change) is done before the files go. */
    @AfterEach
    void flushOpened() throws IOException {
        for (var box : opened) {
            box.flush();
        }
    }

    private Path file(String user) {
        return dir.resolve(user + "/inbox");
    }

    private record State(Set<SystemFlag> flags, Set<String> keywords) {
    }

    /**
     * Dovecot keeps an mbox's size and time stamp in whole seconds (its index's sync_size, sync_mtime): a change
     * in place within the second of the file's last change looks like no change to it, and stays unseen. Once
     * that second is over the time stamp moves on, without the change waiting for it; the index's token does
     * not change (nothing a client sees did) and Roost does not take the file for changed by someone else.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aChangeInPlaceWithinTheSecondOfTheLastOneMovesTheTimeStampOnAfterIt() throws Exception {
        var box = inbox("alice");
        MboxMailboxTest.append(box, "Subject: a\r\n\r\nx\r\n", Set.of(), Set.of());
        var file = file("alice");
        FileStamp seen;
        FileStamp written;
        int attempts = 0;
        do { // until the change lands in the second a reader noted (it does unless the clock just ticked over)
            var m = box.scan().getFirst();
            Files.setLastModifiedTime(file, FileTime.from(Instant.now())); // a change a reader then noted
            seen = FileStamp.of(file);
            box.setFlags(m, attempts % 2 == 0 ? Set.of(SystemFlag.SEEN) : Set.of(), Set.of());
            written = FileStamp.of(file);
            assertEquals(seen.size(), written.size(), "written in place");
        } while (written.modifiedNanos() / 1_000_000_000L != seen.modifiedNanos() / 1_000_000_000L && ++attempts < 5);
        var token = box.changeToken();
        long noted = seen.modifiedNanos() / 1_000_000_000L;
        while (FileStamp.of(file).modifiedNanos() / 1_000_000_000L == noted) {
            Thread.sleep(5); // polled: the JUnit timeout catches a time stamp that never moves on
        }
        assertTrue(box.changeToken().sameStamps(token), "the index sees no change");
        while (box.touches() == 0) {
            Thread.sleep(5); // the time stamp is set before what Roost knows follows it
        }
        long synchronizations = box.synchronizations();
        box.scan();
        assertEquals(synchronizations, box.synchronizations(), "Roost knows the file as it is");
    }

    /**
     * Random flag changes one at a time (most in place, some through the journal when keywords outgrow the
     * padding) give the same file as all of them made in one rewrite of the whole file, but for the padding.
     */
    @Test
    void changesInPlaceReadLikeOneRewriteOfTheWholeFile() throws IOException {
        var random = new Random(20261207L);
        var messages = new ArrayList<String>();
        for (int i = 0; i < 40; i++) {
            messages.add("Subject: m" + i + "\r\n\r\n" + "line\r\n".repeat(random.nextInt(30)) + "From the body\r\n");
        }
        var vocabulary = new LinkedHashSet<>(VOCABULARY);
        for (var user : List.of("alice", "bob")) {
            var box = inbox(user);
            // the first message carries X-IMAPbase and is expunged at the end: every message moves once
            MboxMailboxTest.append(box, "Subject: first\r\n\r\nx\r\n", Set.of(), vocabulary);
            for (var message : messages) {
                MboxMailboxTest.append(box, message, Set.of(), Set.of());
            }
        }
        var changed = inbox("alice");
        var listed = changed.scan();
        var finalStates = new HashMap<Long, State>();
        int inPlace = 0;
        for (int step = 0; step < 300; step++) {
            var m = listed.get(1 + random.nextInt(messages.size()));
            var state = randomState(random);
            long size = Files.size(file("alice"));
            changed.setFlags(m, state.flags(), state.keywords());
            inPlace += Files.size(file("alice")) == size ? 1 : 0;
            finalStates.put(m.uid(), state);
        }
        assertTrue(inPlace > 200 && inPlace < 300, "both paths taken: " + inPlace + " of 300 in place");
        changed.expunge(List.of(listed.getFirst()));

        var whole = inbox("bob");
        var contents = whole.sync();
        var changes = new HashMap<Long, Rewriter.FlagState>();
        finalStates.forEach((uid, state) -> changes.put(uid, new Rewriter.FlagState(state.flags(), state.keywords())));
        MboxFile.of(file("bob"), new MboxLocking(MboxMailboxTest.testOptions())).write(writer ->
                new Rewriter(file("bob"), MboxMailboxTest.testOptions()).apply(writer, contents, changes,
                        Set.of(contents.messages().getFirst().uid()), List.of()));

        assertEquals(withoutPadding(file("bob")).replace("X-IMAPbase: " + whole.uidValidity() + " ",
                "X-IMAPbase: " + changed.uidValidity() + " "), withoutPadding(file("alice")), "but for UIDVALIDITY");
        assertTrue(MboxFileCheck.problems(file("alice")).isEmpty(), MboxFileCheck.problems(file("alice")).toString());
        var reread = inbox("alice").scan();
        assertEquals(messages.size(), reread.size());
        for (var m : reread) {
            var expected = finalStates.getOrDefault(m.uid(), new State(Set.of(), Set.of()));
            assertEquals(expected, new State(m.flags(), m.keywords()), "UID " + m.uid());
            assertEquals(messages.get((int) m.uid() - 2).replace("\r\n", "\n"), MboxMailboxTest.read(changed, m));
        }
    }

    private static State randomState(Random random) {
        var flags = EnumSet.noneOf(SystemFlag.class);
        FLAGS.stream().filter(f -> random.nextInt(3) == 0).forEach(flags::add);
        var keywords = new LinkedHashSet<String>();
        VOCABULARY.stream().filter(k -> random.nextInt(random.nextInt(8) == 0 ? 1 : 4) == 0).forEach(keywords::add);
        return new State(Set.copyOf(flags), Set.copyOf(keywords));
    }

    /** The file with the padding of its X-Keywords lines taken out. */
    private static String withoutPadding(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1).replaceAll("(?m)^(X-Keywords:[^\n]*?) +$", "$1");
    }

    /**
     * Blocks another server wrote: a Status line far longer than it needs is room for a new block; a block
     * without padding (no X-Keywords) is too small for the flags and X-IMAPbase's new keyword, and goes
     * through the journal, which moves only what follows it.
     */
    @Test
    void blocksOtherProgramsWroteAreRewrittenInPlaceWhenTheNewOneFits() throws IOException {
        Files.createDirectories(file("alice").getParent());
        var first = "From a@example.com Mon Jan  5 09:00:00 2026\nSubject: one\nX-IMAPbase: 1700000000 0000000003\n"
                + "X-UID: 1\nStatus: RO\n\nbody one\n\n";
        var second = "From a@example.com Mon Jan  5 09:01:00 2026\nSubject: two\nX-UID: 2\n"
                + "Status: ROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROROR\n\nbody two\n\n";
        var third = "From a@example.com Mon Jan  5 09:02:00 2026\nSubject: three\nX-UID: 3\nStatus: O\n\nbody three\n\n";
        Files.writeString(file("alice"), first + second + third, StandardCharsets.ISO_8859_1);
        var box = inbox("alice");
        var listed = box.scan();
        assertEquals(List.of(1L, 2L, 3L), listed.stream().map(StoredMessage::uid).toList());

        box.setFlags(listed.get(1), EnumSet.of(SystemFlag.FLAGGED, SystemFlag.ANSWERED), Set.of());
        var text = Files.readString(file("alice"), StandardCharsets.ISO_8859_1);
        assertEquals((first + second + third).length(), text.length(), "written in place: " + text);
        assertTrue(text.startsWith(first), text);
        assertTrue(text.endsWith(third), text);
        assertTrue(text.contains("\nX-UID: 2\nStatus: O\nX-Status: AF\nX-Keywords: "), text);

        box.setFlags(listed.get(0), EnumSet.of(SystemFlag.SEEN, SystemFlag.DRAFT), Set.of("$Junk"));
        text = Files.readString(file("alice"), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("From a@example.com Mon Jan  5 09:00:00 2026\nSubject: one\nX-IMAPbase: 1700000000 "
                + "0000000003 $Junk\nX-UID: 1\nStatus: RO\nX-Status: T\nX-Keywords: $Junk "), text);
        assertTrue(text.endsWith(third), "moved whole: " + text);
        assertTrue(MboxFileCheck.problems(file("alice")).isEmpty(), MboxFileCheck.problems(file("alice")).toString());
        var reread = inbox("alice").scan();
        assertEquals(EnumSet.of(SystemFlag.SEEN, SystemFlag.DRAFT), reread.get(0).flags());
        assertEquals(Set.of("$Junk"), reread.get(0).keywords());
        assertEquals(EnumSet.of(SystemFlag.FLAGGED, SystemFlag.ANSWERED), reread.get(1).flags());
        assertEquals(Set.of(), reread.get(2).flags());
        assertEquals("Subject: two\n\nbody two\n", MboxMailboxTest.read(box, reread.get(1)));
    }

    /** Keywords that outgrow a block's padding move what follows it once; the new block has room again. */
    @Test
    void keywordsGrowingPastThePaddingMoveOnlyWhatFollows() throws IOException {
        var box = inbox("alice");
        for (int i = 1; i <= 3; i++) {
            MboxMailboxTest.append(box, "Subject: m" + i + "\r\n\r\nbody\r\n", Set.of(), Set.of());
        }
        var listed = box.scan();
        var before = Files.readString(file("alice"), StandardCharsets.ISO_8859_1);
        int secondAt = before.indexOf("From MAILER-DAEMON", 1);
        var many = Set.copyOf(VOCABULARY);
        box.setFlags(listed.get(1), Set.of(), many);
        var after = Files.readString(file("alice"), StandardCharsets.ISO_8859_1);
        assertTrue(after.length() > before.length(), "the block grew");
        assertEquals(secondAt, after.indexOf("From MAILER-DAEMON", 1), "the first message took the new keywords in place");
        assertTrue(after.substring(0, secondAt).contains(" 0000000003 " + String.join(" ", box.sync().keywords()) + "\n"),
                after);
        long size = Files.size(file("alice"));
        box.setFlags(listed.get(1), EnumSet.of(SystemFlag.SEEN), Set.of("todo"));
        assertEquals(size, Files.size(file("alice")), "in place again");
        var reread = inbox("alice").scan();
        assertEquals(Set.of("todo"), reread.get(1).keywords());
        assertEquals(EnumSet.of(SystemFlag.SEEN), reread.get(1).flags());
        assertTrue(MboxFileCheck.problems(file("alice")).isEmpty(), MboxFileCheck.problems(file("alice")).toString());
    }

    /**
     * mutt rewrote the file after the driver last read it (deleted the first message, flagged the second):
     * a flag change is made on the file as it is then, at the message's new place.
     */
    @Test
    void aFileMuttChangedBetweenReadAndWriteIsReadAgainFirst() throws IOException {
        var box = inbox("alice");
        for (int i = 1; i <= 3; i++) {
            MboxMailboxTest.append(box, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n", Set.of(), Set.of());
        }
        var listed = box.scan();
        var messages = Files.readString(file("alice"), StandardCharsets.ISO_8859_1).split("(?=From MAILER-DAEMON)");
        Files.writeString(file("alice"), MboxMailboxTest.mutt(messages[1], "Status: O\nX-Status: F\n")
                + MboxMailboxTest.mutt(messages[2], "Status: O\n"), StandardCharsets.ISO_8859_1);
        var updated = box.setFlags(listed.get(2), EnumSet.of(SystemFlag.SEEN), Set.of("todo"));
        assertEquals(3, updated.uid());
        var reread = inbox("alice").scan();
        assertEquals(List.of(2L, 3L), reread.stream().map(StoredMessage::uid).toList());
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), reread.get(0).flags());
        assertEquals(EnumSet.of(SystemFlag.SEEN), reread.get(1).flags());
        assertEquals(Set.of("todo"), reread.get(1).keywords());
        assertEquals("Subject: m3\n\nbody 3\n", MboxMailboxTest.read(box, reread.get(1)));
        assertTrue(MboxFileCheck.problems(file("alice")).isEmpty(), MboxFileCheck.problems(file("alice")).toString());
    }

    /** A flag change on one message of many copies one chunk of the driver's list, not the list. */
    @Test
    void aFlagChangeCopiesOneChunkOfTheMessageList() throws IOException {
        var box = inbox("alice");
        var all = new ArrayList<PreparedMessage.Addition>();
        int count = 3 * MessageList.CHUNK;
        for (int i = 0; i < count; i++) {
            var data = new ByteArrayInputStream(("Subject: m" + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
            all.add(new PreparedMessage.Addition(box.prepare(data, Instant.EPOCH), Set.of(), Set.of()));
        }
        box.commit(all);
        var before = box.sync().messages();
        var listed = box.scan();
        box.setFlags(listed.get(count / 2), EnumSet.of(SystemFlag.FLAGGED), Set.of());
        var after = box.sync().messages();
        assertEquals(before.size(), after.size());
        assertEquals(2, after.sharedChunks(before), "one chunk of three copied");
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), after.get(count / 2).flags());
        Map<Long, Set<SystemFlag>> reread = new HashMap<>();
        inbox("alice").scan().forEach(m -> reread.put(m.uid(), m.flags()));
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), reread.get(listed.get(count / 2).uid()));
    }

    /**
     * The map follows a flag change in place by writing over the changed entries only (a restart then uses
     * it as it is); a map that is not as long as the mailbox's is written whole instead.
     */
    @Test
    void aFlagChangeInPlaceWritesOnlyItsEntriesOfTheMap() throws IOException {
        var box = inbox("alice");
        for (int i = 1; i <= 50; i++) {
            MboxMailboxTest.append(box, "Subject: m" + i + "\r\n\r\nbody\r\n", Set.of(), Set.of());
        }
        var listed = box.scan();
        box.setFlags(listed.get(10), Set.of(), Set.of("todo")); // a new keyword: X-IMAPbase and the map's head grow
        box.flushMap();
        var map = dir.resolve("alice/.imap/INBOX/" + MapFile.NAME);
        long whole = box.wholeMapWrites();
        box.setFlags(listed.get(20), EnumSet.of(SystemFlag.SEEN), Set.of("todo"));
        box.setFlags(listed.get(30), EnumSet.of(SystemFlag.FLAGGED), Set.of());
        box.flushMap();
        assertEquals(whole, box.wholeMapWrites(), "written over, not written whole");
        assertMapSays(map, box.sync());

        Files.write(map, Arrays.copyOf(Files.readAllBytes(map), (int) Files.size(map) - 1));
        box.setFlags(listed.get(20), EnumSet.of(SystemFlag.ANSWERED), Set.of());
        box.flushMap();
        assertEquals(whole + 1, box.wholeMapWrites(), "a map cut short is written whole");
        assertMapSays(map, box.sync());
        var restarted = inbox("alice");
        assertEquals(EnumSet.of(SystemFlag.ANSWERED), restarted.scan().get(20).flags());
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), restarted.scan().get(30).flags());
    }

    private static void assertMapSays(Path map, MboxContents expected) throws IOException {
        var read = MapFile.read(map);
        assertEquals(expected.stamp(), read.stamp(), "the map stands for the file as it is");
        assertEquals(expected.messages().size(), read.messages().size());
        for (int i = 0; i < read.messages().size(); i++) {
            var m = read.messages().get(i);
            var e = expected.messages().get(i);
            assertEquals(List.of(e.uid(), e.flags(), e.keywords(), e.found().offset(), e.found().metaCrc()),
                    List.of(m.uid(), m.flags(), m.keywords(), m.found().offset(), m.found().metaCrc()), "message " + i);
        }
    }
}
