package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StorageException;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailStore;

class MaildirStoreTest {

    @TempDir
    Path root;
    MailStore store;

    @BeforeEach
    void open() throws IOException {
        store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(root.resolve("user"));
    }

    static ByteArrayInputStream message(String subject) {
        return new ByteArrayInputStream(("Subject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void openCreatesTheRootLayout() {
        for (var sub : List.of("cur", "new", "tmp")) {
            assertTrue(Files.isDirectory(root.resolve("user").resolve(sub)), sub);
        }
        assertEquals('.', store.delimiter());
    }

    /**
     * A listing is answered again only while the root's stamp stays: folders other programs add, remove or replace
     * show at once, whether the listing before was read just now (a stamp not yet settled is never trusted) or
     * long after the root last changed (the change gives the root a new stamp).
     */
    @Test
    void foldersOtherProgramsChangeShowInTheNextListing() throws IOException {
        var user = root.resolve("user");
        assertEquals(List.of("INBOX"), names(store.list()));
        Files.createDirectories(user.resolve(".Fresh").resolve("cur"));
        assertEquals(List.of("Fresh", "INBOX"), names(store.list()), "right after the last listing");
        Files.setLastModifiedTime(user, FileTime.from(Instant.now().minusSeconds(3600)));
        assertEquals(List.of("Fresh", "INBOX"), names(store.list()));
        assertEquals(List.of("Fresh", "INBOX"), names(store.list()), "settled: answered again");
        Files.createDirectories(user.resolve(".Later"));
        assertEquals(List.of("Fresh", "INBOX", "Later"), names(store.list()));
        Files.setLastModifiedTime(user, FileTime.from(Instant.now().minusSeconds(3600)));
        assertEquals(3, store.list().size());
        Files.delete(user.resolve(".Later"));
        Files.writeString(user.resolve(".Plain"), "a file, no folder");
        assertEquals(List.of("Fresh", "INBOX"), names(store.list()), "removed; a file is no folder");
    }

    private static List<String> names(List<MailboxInfo> infos) {
        return infos.stream().map(MailboxInfo::name).sorted().toList();
    }

    @Test
    void listShowsInboxAlone() throws IOException {
        assertEquals(List.of(new MailboxInfo("INBOX", true, false)), store.list());
        assertTrue(store.exists("inbox"));
    }

    @Test
    void createMakesADovecotFolder() throws IOException {
        store.create("Entw\u00fcrfe");
        var dir = root.resolve("user/.Entw&APw-rfe");
        for (var sub : List.of("cur", "new", "tmp")) {
            assertTrue(Files.isDirectory(dir.resolve(sub)), sub);
        }
        assertTrue(Files.isRegularFile(dir.resolve("maildirfolder")));
        assertEquals(0, Files.size(dir.resolve("maildirfolder")));
        assertTrue(Files.readString(dir.resolve("dovecot-uidlist")).startsWith("3 V"));
        assertTrue(store.exists("Entw\u00fcrfe"));
        assertThrows(MailboxExistsException.class, () -> store.create("Entw\u00fcrfe"));
        assertThrows(MailboxExistsException.class, () -> store.create("INBOX"));
        assertThrows(MailboxExistsException.class, () -> store.create("iNbOx"));
    }

    @Test
    void createOfAChildLeavesTheParentNonSelectableLikeDovecot() throws IOException {
        store.create("Deep.Er.Child");
        assertEquals(List.of(
                new MailboxInfo("Deep", false, true),
                new MailboxInfo("Deep.Er", false, true),
                new MailboxInfo("Deep.Er.Child", true, false),
                new MailboxInfo("INBOX", true, false)), store.list());
        assertFalse(store.exists("Deep"));
        assertThrows(MailboxNotFoundException.class, () -> store.mailbox("Deep"));
        store.create("Deep");
        assertTrue(store.list().contains(new MailboxInfo("Deep", true, true)));
    }

    @Test
    void inboxChildrenAreOrdinaryFoldersAndInboxIsCaseInsensitive() throws IOException {
        store.create("inbox.Lists");
        assertTrue(Files.isDirectory(root.resolve("user/.INBOX.Lists")));
        assertTrue(store.list().contains(new MailboxInfo("INBOX", true, true)));
        assertTrue(store.exists("INBOX.Lists"));
    }

    @Test
    void uidValidityIsFreshForEveryNewMailbox() throws IOException {
        store.create("A");
        var first = store.mailbox("A").uidValidity();
        store.delete("A");
        store.create("A");
        assertTrue(store.mailbox("A").uidValidity() > first, "RFC 3501 §2.3.1.1: a recreated name needs a new UIDVALIDITY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc", "a/../../etc", "/etc/passwd", "a/b", ".hidden", "a..b", "a.",
        "..a", "~root", "a.~b", "nul\u0000", "line\nbreak", "tab\tname", "del\u007f", "c1\u0085", "star*", "per%cent",
        "DOVECOT-TRASHED", "x\ud800", "\udc00"})
    void refusesNamesThatAreInvalidOrCouldEscape(String name) throws IOException {
        assertThrows(InvalidMailboxNameException.class, () -> store.create(name));
        assertThrows(InvalidMailboxNameException.class, () -> store.mailbox(name));
        assertThrows(InvalidMailboxNameException.class, () -> store.subscribe(name));
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(List.of(root.resolve("user")), files.toList(), "nothing was created outside the root");
        }
    }

    @Test
    void refusesOverlongNames() {
        assertThrows(InvalidMailboxNameException.class, () -> store.create("x".repeat(255)));
        assertThrows(InvalidMailboxNameException.class, () -> store.create("\u00e4".repeat(200)));
        assertThrows(InvalidMailboxNameException.class, () -> store.create("a.".repeat(16) + "a"));
    }

    @Test
    void ampersandAndSpacesAreFine() throws IOException {
        store.create("Tom & Jerry");
        assertTrue(Files.isDirectory(root.resolve("user/.Tom &- Jerry")));
        assertTrue(store.exists("Tom & Jerry"));
    }

    @Test
    void deleteRemovesMailboxAndMessages() throws IOException {
        store.create("Trash");
        store.mailbox("Trash").append(message("x"), Set.of(), Set.of(), Instant.now());
        store.delete("Trash");
        assertFalse(store.exists("Trash"));
        assertFalse(Files.exists(root.resolve("user/.Trash")));
        assertFalse(Files.exists(root.resolve("user/.DOVECOT-TRASHED")));
        assertThrows(MailboxNotFoundException.class, () -> store.delete("Trash"));
        assertThrows(MailboxNotFoundException.class, () -> store.mailbox("Trash"));
    }

    @Test
    void deleteWithInferiorsKeepsThemAndTheNameBecomesNoselect() throws IOException {
        // RFC 3501 §6.3.4, and what Dovecot did when the fixture was made (Parent / Parent.Kid).
        store.create("Parent");
        store.create("Parent.Kid");
        store.mailbox("Parent").append(message("p"), Set.of(), Set.of(), Instant.now());
        store.delete("Parent");
        assertEquals(List.of(
                new MailboxInfo("INBOX", true, false),
                new MailboxInfo("Parent", false, true),
                new MailboxInfo("Parent.Kid", true, false)), store.list());
        assertThrows(MailboxNotFoundException.class, () -> store.delete("Parent"), "\\Noselect with inferiors");
    }

    @Test
    void deleteOfInboxIsRefused() {
        var e = assertThrows(StorageException.class, () -> store.delete("inbox"));
        assertFalse(e instanceof MailboxNotFoundException);
    }

    @Test
    void renameMovesInferiorsToo() throws IOException {
        store.create("Work");
        store.create("Work.2024");
        store.create("Work.2024.Q1");
        store.create("Workshop");
        var message = store.mailbox("Work.2024").append(message("r"), Set.of(SystemFlag.SEEN), Set.of(), Instant.now());
        long validity = store.mailbox("Work.2024").uidValidity();
        store.rename("Work", "Job");
        assertEquals(List.of(
                new MailboxInfo("INBOX", true, false),
                new MailboxInfo("Job", true, true),
                new MailboxInfo("Job.2024", true, true),
                new MailboxInfo("Job.2024.Q1", true, false),
                new MailboxInfo("Workshop", true, false)), store.list());
        var renamed = store.mailbox("Job.2024");
        assertEquals(validity, renamed.uidValidity());
        assertEquals(List.of(message.uid()), renamed.scan().stream().map(m -> m.uid()).toList());
    }

    @Test
    void renameRefusesExistingTargetsAndMissingSources() throws IOException {
        store.create("A");
        store.create("A.x");
        store.create("B.x");
        assertThrows(MailboxExistsException.class, () -> store.rename("A", "INBOX"));
        assertThrows(MailboxExistsException.class, () -> store.rename("A", "B.x"));
        assertThrows(MailboxExistsException.class, () -> store.rename("A", "B"), "inferior B.x would collide");
        assertThrows(MailboxNotFoundException.class, () -> store.rename("Nope", "Other"));
        assertThrows(InvalidMailboxNameException.class, () -> store.rename("A", "A.inner"));
        assertTrue(store.exists("A") && store.exists("A.x"));
    }

    @Test
    void renameOfInboxMovesMessagesAndLeavesInboxEmpty() throws IOException {
        var inbox = store.mailbox("INBOX");
        var first = inbox.append(message("1"), Set.of(SystemFlag.SEEN), Set.of("Project-X"), Instant.ofEpochSecond(1_600_000_000));
        var second = inbox.append(message("2"), Set.of(), Set.of(), Instant.ofEpochSecond(1_600_000_100));
        store.create("INBOX.Kept");
        long inboxValidity = inbox.uidValidity();
        long inboxNext = inbox.nextUid();

        store.rename("INBOX", "Old Mail");

        assertTrue(inbox.scan().isEmpty());
        assertEquals(inboxValidity, inbox.uidValidity());
        assertEquals(inboxNext, inbox.nextUid(), "UIDs are never reused in INBOX");
        assertTrue(store.exists("INBOX.Kept"), "RFC 3501 §6.3.5: INBOX inferiors stay");
        var moved = store.mailbox("Old Mail");
        assertNotEquals(inboxValidity, moved.uidValidity());
        var messages = StatedScan.of(moved);
        assertEquals(List.of(first.uid(), second.uid()), messages.stream().map(m -> m.uid()).toList());
        assertEquals(Set.of(SystemFlag.SEEN), messages.get(0).flags());
        assertEquals(Set.of("Project-X"), messages.get(0).keywords());
        assertEquals(Instant.ofEpochSecond(1_600_000_000), messages.get(0).internalDate());
        var third = inbox.append(message("3"), Set.of(), Set.of(), Instant.now());
        assertEquals(inboxNext, third.uid());
    }

    @Test
    void inboxMayBeRenamedToItsOwnInferior() throws IOException {
        var first = store.mailbox("INBOX").append(message("1"), Set.of(), Set.of(), Instant.now());
        store.rename("INBOX", "INBOX.Old");
        assertEquals(List.of(first.uid()), store.mailbox("INBOX.Old").scan().stream().map(m -> m.uid()).toList());
        assertTrue(store.mailbox("INBOX").scan().isEmpty());
        assertThrows(InvalidMailboxNameException.class, () -> store.rename("INBOX.Old", "INBOX.Old.Older"));
    }

    @Test
    void subscriptionsUseDovecotsFileFormat() throws IOException {
        store.subscribe("inbox");
        store.subscribe("Entw\u00fcrfe");
        store.subscribe("Archive.2024");
        store.subscribe("Archive.2024");
        store.subscribe("Not.Created");
        assertEquals(Set.of("INBOX", "Entw\u00fcrfe", "Archive.2024", "Not.Created"), store.subscriptions());
        assertEquals("V\t2\n\nINBOX\nEntw&APw-rfe\nArchive\t2024\nNot\tCreated\n",
                Files.readString(root.resolve("user/subscriptions")));
        store.unsubscribe("Archive.2024");
        store.unsubscribe("never subscribed");
        assertEquals(Set.of("INBOX", "Entw\u00fcrfe", "Not.Created"), store.subscriptions());
    }

    @Test
    void subscriptionsReadsVersion1AndSkipsGarbage() throws IOException {
        Files.writeString(root.resolve("user/subscriptions"), "INBOX\nSent.2024\n&Jjo!\n../etc\n\n");
        assertEquals(Set.of("INBOX", "Sent.2024"), store.subscriptions());
    }

    @Test
    void listIgnoresStrayEntries() throws IOException {
        var user = root.resolve("user");
        Files.createDirectories(user.resolve(".&Jjo!"));        // broken modified UTF-7
        Files.createDirectories(user.resolve(".inbox"));        // not canonical: INBOX is the root
        Files.createDirectories(user.resolve(".a..b"));
        Files.writeString(user.resolve(".notadir"), "x");
        Files.createDirectories(user.resolve("plain"));
        Files.createDirectories(user.resolve(".Good/cur"));
        assertEquals(List.of(new MailboxInfo("Good", true, false), new MailboxInfo("INBOX", true, false)), store.list());
        assertTrue(store.mailbox("Good").scan().isEmpty(), "missing new/ and tmp/ are created");
    }

    @Test
    void mailboxReturnsTheSameInstanceForTheSameName() throws IOException {
        store.create("Shared");
        assertTrue(store.mailbox("Shared") == store.mailbox("Shared"));
        assertEquals("INBOX", store.mailbox("inbox").name());
    }
}
