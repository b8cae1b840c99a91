package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;
import org.roost.storage.files.Durability;

/**
 * A commit of several messages is all or none across a crash too (RFC 3502 §6.3.11): the state a kill -9 leaves
 * at each step of {@link MaildirMailbox#commitTogether} is built on disk, then a fresh store (the next process)
 * scans it.
 */
class AppendJournalTest {
    private static final Instant DATE = Instant.ofEpochSecond(1_700_000_000);

    @TempDir
    Path root;
    Path dir;
    MailboxStore inbox;

    @BeforeEach
    void open() throws IOException {
        inbox = new MaildirDriver().open(root.resolve("user")).mailbox("INBOX");
        dir = root.resolve("user");
    }

    private List<PreparedMessage.Addition> prepared(int count) throws IOException {
        var additions = new ArrayList<PreparedMessage.Addition>();
        for (int i = 0; i < count; i++) {
            var bytes = ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
            additions.add(new PreparedMessage.Addition(inbox.prepare(new ByteArrayInputStream(bytes), DATE), Set.of(),
                    Set.of()));
        }
        return additions;
    }

    private List<String> cur() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("cur"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<StoredMessage> scanAfterRestart() throws IOException {
        return new MaildirDriver().open(root.resolve("user")).mailbox("INBOX").scan();
    }

    @Test
    void aCommitOfSeveralLeavesNoJournal() throws IOException {
        var stored = inbox.commitTogether(prepared(3));
        assertEquals(List.of(1L, 2L, 3L), stored.stream().map(StoredMessage::uid).toList());
        assertFalse(Files.exists(dir.resolve(AppendJournal.FILE)));
        assertEquals(3, scanAfterRestart().size());
    }

    /** Killed after two of three links, before the uid list was stored: none of them is a message afterwards. */
    @Test
    void aCrashBeforeTheUidListLeavesNone() throws IOException {
        inbox.append(new ByteArrayInputStream("Subject: kept\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(),
                Set.of(), DATE);
        var names = new LinkedHashMap<String, String>();
        names.put("1700000001.M1P1.crashed", "1700000001.M1P1.crashed:2,S");
        names.put("1700000002.M2P1.crashed", "1700000002.M2P1.crashed:2,");
        names.put("1700000003.M3P1.crashed", "1700000003.M3P1.crashed:2,");
        var durability = new Durability(true);
        new AppendJournal(dir, dir.resolve("cur"), durability).begin(names);
        Files.writeString(dir.resolve("cur/1700000001.M1P1.crashed:2,S"), "Subject: 1\r\n\r\n");
        Files.writeString(dir.resolve("cur/1700000002.M2P1.crashed:2,"), "Subject: 2\r\n\r\n");

        var messages = scanAfterRestart();
        assertEquals(List.of(1L), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(1, cur().size(), cur().toString());
        assertFalse(Files.exists(dir.resolve(AppendJournal.FILE)));
    }

    /** The next commit after a restart (an index may open the mailbox without a scan) undoes the crashed one first. */
    @Test
    void theNextCommitUndoesACrashedOne() throws IOException {
        var names = new LinkedHashMap<String, String>();
        names.put("1700000001.M1P1.crashed", "1700000001.M1P1.crashed:2,");
        names.put("1700000002.M2P1.crashed", "1700000002.M2P1.crashed:2,");
        new AppendJournal(dir, dir.resolve("cur"), new Durability(true)).begin(names);
        Files.writeString(dir.resolve("cur/1700000001.M1P1.crashed:2,"), "Subject: 1\r\n\r\n");

        var restarted = new MaildirDriver().open(root.resolve("user")).mailbox("INBOX");
        var additions = new ArrayList<PreparedMessage.Addition>();
        additions.add(new PreparedMessage.Addition(restarted.prepare(
                new ByteArrayInputStream("Subject: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), DATE), Set.of(), Set.of()));
        additions.add(new PreparedMessage.Addition(restarted.prepare(
                new ByteArrayInputStream("Subject: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), DATE), Set.of(), Set.of()));
        restarted.commitTogether(additions);
        additions.forEach(a -> restarted.discard(a.message()));
        assertEquals(2, cur().size(), cur().toString());
        assertEquals(List.of(1L, 2L), scanAfterRestart().stream().map(StoredMessage::uid).toList());
    }

    /** Killed after the uid list was stored, before the journal went: every one of them stays, with its UID. */
    @Test
    void aCrashAfterTheUidListKeepsAll() throws IOException {
        var stored = inbox.commitTogether(prepared(3));
        var names = new LinkedHashMap<String, String>();
        for (var file : cur()) {
            names.put(file.substring(0, file.indexOf(':')), file);
        }
        new AppendJournal(dir, dir.resolve("cur"), new Durability(true)).begin(names);
        Files.writeString(dir.resolve("cur/1700000009.M9P1.other"), "Subject: delivered by another program\r\n\r\n");

        var messages = scanAfterRestart();
        assertEquals(List.of(1L, 2L, 3L, 4L), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(stored.stream().map(StoredMessage::key).toList(),
                messages.subList(0, 3).stream().map(StoredMessage::key).toList());
        assertFalse(Files.exists(dir.resolve(AppendJournal.FILE)));
    }

    /** A journal damaged by other hands names no file outside cur/ and removes nothing but its own names. */
    @Test
    void aHostileJournalTouchesNothingOutsideCur() throws IOException {
        Files.writeString(root.resolve("victim"), "x");
        Files.writeString(dir.resolve("cur/1700000009.M9P1.other"), "Subject: x\r\n\r\n");
        Files.writeString(dir.resolve(AppendJournal.FILE), "a\t../../victim\nb\t.\nc\t\ntorn line without tab\n");
        assertEquals(1, scanAfterRestart().size());
        assertEquals("x", Files.readString(root.resolve("victim")));
        assertFalse(Files.exists(dir.resolve(AppendJournal.FILE)));
    }

    /** A link that fails in the middle (the second prepared file vanished) leaves none of them, and no journal. */
    @Test
    void aFailureInTheMiddleLeavesNone() throws IOException {
        var additions = prepared(3);
        var prepared = additions.get(1).message();
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            for (var file : tmp.toList()) {
                if (Files.size(file) == prepared.size() && file.toString().contains(".")
                        && Files.readString(file).contains("Subject: 1")) {
                    Files.delete(file);
                }
            }
        }
        assertThrows(IOException.class, () -> inbox.commitTogether(additions));
        additions.forEach(a -> inbox.discard(a.message()));
        assertEquals(List.of(), cur());
        assertEquals(List.of(), scanAfterRestart());
        assertFalse(Files.exists(dir.resolve(AppendJournal.FILE)));
    }
}
