package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailboxStore;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * The first open of a never-indexed Maildir builds the table straight from a streamed scan and
 * writes the index file once: same UIDs, flags, keywords, dates and sizes as the storage reports,
 * no log records, and the next open reads the index without listing the mail.
 */
class FreshBuildTest {
    @TempDir
    Path root;

    private static final Instant DATE = Instant.parse("2024-03-01T08:00:00Z");

    /** A Dovecot-written folder: UIDs with gaps, a keyword letter, sizes in the names. */
    private Path dovecotFolder() throws IOException {
        var dir = root.resolve("u");
        Files.createDirectories(dir.resolve("cur"));
        Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("dovecot-uidlist"), """
                3 V1700000000 N40 G0123456789abcdef0123456789abcdef
                5 :1700000001.M1P1.host,S=10,W=11
                9 :1700000002.M2P1.host,S=20,W=22
                33 :1700000003.M3P1.host,S=30,W=33
                """);
        Files.writeString(dir.resolve("dovecot-keywords"), "0 $Work\n");
        write(dir, "1700000001.M1P1.host,S=10,W=11:2,S", 10, 0);
        write(dir, "1700000002.M2P1.host,S=20,W=22:2,FRa", 20, 1);
        write(dir, "1700000003.M3P1.host,S=30,W=33:2,", 30, 2);
        IndexPersistenceTest.pause(); // stamps old enough to stand for this state
        return dir;
    }

    private static void write(Path dir, String name, int size, int day) throws IOException {
        var file = dir.resolve("cur").resolve(name);
        Files.writeString(file, "x".repeat(size));
        Files.setLastModifiedTime(file, FileTime.from(DATE.plusSeconds(86_400L * day)));
    }

    private MailboxStore inbox() throws IOException {
        return new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(root.resolve("u")).mailbox("INBOX");
    }

    /** The INBOX behind a store whose list-returning scan fails: the state must stream, never hold a list of every message. */
    private MailboxStore streamOnly() throws IOException {
        return new CountingStore(inbox(), new AtomicInteger());
    }

    private static List<String> describe(List<StoredMessage> messages) {
        return messages.stream().map(IndexPersistenceTest::describe).toList();
    }

    @Test
    void buildsTheUidListsUidsFlagsKeywordsDatesAndSizes() throws IOException {
        var dir = dovecotFolder();
        var state = new MailboxState("u", "INBOX", streamOnly(), true, false);
        assertEquals(IndexFormat.LOG_HEADER_SIZE, Files.size(dir.resolve(IndexFormat.LOG_FILE)), "no log records");
        assertEquals(List.of(
                "5 1700000001.M1P1.host,S=10,W=11 [SEEN] [] 2024-03-01T08:00:00Z 10/11",
                "9 1700000002.M2P1.host,S=20,W=22 [ANSWERED, FLAGGED] [$Work] 2024-03-02T08:00:00Z 20/22",
                "33 1700000003.M3P1.host,S=30,W=33 [] [] 2024-03-03T08:00:00Z 30/33"),
                IndexPersistenceTest.describeFound(state));
        assertEquals(1700000000L, state.current().uidValidity());
        assertEquals(40, state.current().uidNext());
        assertEquals(1, state.scans());
        state.close();

        var reopened = new MailboxState("u", "INBOX", streamOnly(), true, false);
        assertEquals(0, reopened.scans(), "the built index is opened without a listing");
        assertEquals(IndexPersistenceTest.describe(state.current()), IndexPersistenceTest.describe(reopened.current()));
        reopened.close();
    }

    @Test
    void withoutUidListUidsAreGivenInDeliveryOrderAndKept() throws IOException {
        var dir = dovecotFolder();
        Files.delete(dir.resolve("dovecot-uidlist"));
        var state = new MailboxState("u", "INBOX", streamOnly(), true, false);
        assertEquals(List.of(1L, 2L, 3L), List.of(state.current().uid(0), state.current().uid(1), state.current().uid(2)));
        assertEquals("1700000003.M3P1.host,S=30,W=33", state.current().message(2).key());
        assertEquals(describe(inbox().scan()), IndexPersistenceTest.describe(state.current()),
                "the table holds what the storage's uid list now says");
        state.close();
        var reopened = new MailboxState("u", "INBOX", streamOnly(), true, false);
        assertEquals(0, reopened.scans());
        assertEquals(IndexPersistenceTest.describe(state.current()), IndexPersistenceTest.describe(reopened.current()));
        reopened.close();
    }

    @Test
    void anEmptyFolderBuildsAnEmptyIndex() throws IOException {
        Files.createDirectories(root.resolve("u/cur"));
        IndexPersistenceTest.pause();
        var state = new MailboxState("u", "INBOX", streamOnly(), true, false);
        assertEquals(0, state.current().count());
        assertEquals(0, state.current().highestModseq());
        assertTrue(Files.exists(root.resolve("u").resolve(IndexFormat.INDEX_FILE)));
        state.close();
    }

    @Test
    void withoutIndexFilesTheTableIsBuiltInMemory() throws IOException {
        dovecotFolder();
        var state = new MailboxState("u", "INBOX", streamOnly(), false, false);
        assertEquals(describe(inbox().scan()), IndexPersistenceTest.describe(state.current()));
        assertEquals(1, state.current().highestModseq());
        assertTrue(Files.notExists(root.resolve("u").resolve(IndexFormat.INDEX_FILE)));
    }
}
