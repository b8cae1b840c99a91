package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;

class MaildirMailboxTest {

    static final Instant DATE = Instant.ofEpochSecond(1_700_000_000);
    static final byte[] CRLF_MESSAGE = "Subject: hi\r\n\r\nline one\r\nline two\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LF_MESSAGE = "Subject: hi\n\nline one\nline two\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;
    Path user;
    MailStore store;
    MailboxStore inbox;

    @BeforeEach
    void open() throws IOException {
        user = root.resolve("user");
        store = new MaildirDriver().open(user);   // fsync on: the default path is exercised
        inbox = store.mailbox("INBOX");
    }

    private StoredMessage append(byte[] bytes, Set<SystemFlag> flags, Set<String> keywords) throws IOException {
        return inbox.append(new ByteArrayInputStream(bytes), flags, keywords, DATE);
    }

    private List<String> curFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("cur"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** The change token stats four files; dovecot-keywords is usually missing, and may be a link another program made. */
    @Test
    void changeTokenSeesTheKeywordFileCome() throws IOException {
        var missing = inbox.changeToken();
        assertTrue(missing.sameStamps(inbox.changeToken()), "nothing changed");
        var keywords = user.resolve("dovecot-keywords");
        Files.createSymbolicLink(keywords, keywords); // a loop: stamped as the link
        var loop = inbox.changeToken();
        assertFalse(missing.sameStamps(loop));
        Files.delete(keywords);
        Files.writeString(keywords, "0 $Forwarded\n");
        assertFalse(loop.sameStamps(inbox.changeToken()));
        assertFalse(missing.sameStamps(inbox.changeToken()));
    }

    @Test
    void appendWritesDovecotNamesSizesAndDate() throws IOException {
        var stored = append(CRLF_MESSAGE, Set.of(SystemFlag.SEEN, SystemFlag.ANSWERED, SystemFlag.DELETED), Set.of());
        assertEquals(1, stored.uid());
        assertEquals(CRLF_MESSAGE.length, stored.physicalSize());
        assertEquals(CRLF_MESSAGE.length, stored.virtualSize());
        assertEquals(DATE, stored.internalDate());
        var files = curFiles(user);
        assertEquals(1, files.size());
        var name = files.get(0);
        assertTrue(name.matches("\\d+\\.M\\d+P\\d+Q\\d+\\.[^,:/]+,S=" + CRLF_MESSAGE.length + ",W=" + CRLF_MESSAGE.length + ":2,RST"), name);
        assertEquals(FileTime.from(DATE), Files.getLastModifiedTime(user.resolve("cur").resolve(name)));
        assertArrayEquals(CRLF_MESSAGE, read(inbox.open(stored)));
        assertEquals(2, inbox.nextUid());
        try (Stream<Path> tmp = Files.list(user.resolve("tmp"))) {
            assertEquals(0, tmp.count(), "tmp/ is left empty");
        }
        var uidlist = Files.readString(user.resolve("dovecot-uidlist")).split("\n");
        // New records are appended as Dovecot does; the header's N may lag behind them.
        assertTrue(uidlist[0].matches("3 V\\d+ N[12] G[0-9a-f]{32}"), uidlist[0]);
        assertEquals("1 :" + name.substring(0, name.indexOf(':')), uidlist[1]);
    }

    @Test
    void bytesAreKeptAsReceivedAndVirtualSizeCountsCrlf() throws IOException {
        var stored = append(LF_MESSAGE, Set.of(), Set.of());
        assertEquals(LF_MESSAGE.length, stored.physicalSize());
        assertEquals(LF_MESSAGE.length + 4, stored.virtualSize());
        assertArrayEquals(LF_MESSAGE, read(inbox.open(stored)));
        assertEquals(List.of(stored), StatedScan.of(inbox));
    }

    @Test
    void scanReturnsAscendingUidsWithFlagsAndKeywords() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(), Set.of("$Forwarded"));
        var b = append(CRLF_MESSAGE, Set.of(SystemFlag.DRAFT), Set.of("Project-X", "$Forwarded"));
        var c = append(CRLF_MESSAGE, Set.of(SystemFlag.FLAGGED), Set.of());
        assertEquals(List.of(a, b, c), StatedScan.of(inbox));
        assertEquals("0 $Forwarded\n1 Project-X\n", Files.readString(user.resolve("dovecot-keywords")));
        assertTrue(curFiles(user).stream().anyMatch(n -> n.endsWith(":2,Dab")), curFiles(user).toString());
    }

    @Test
    void keywordsMatchExistingSpellingIgnoringCase() throws IOException {
        append(CRLF_MESSAGE, Set.of(), Set.of("Project-X"));
        var second = append(CRLF_MESSAGE, Set.of(), Set.of("project-x"));
        assertEquals(Set.of("Project-X"), second.keywords());
    }

    @Test
    void invalidOrTooManyKeywordsAreRefused() throws IOException {
        assertThrows(InvalidKeywordException.class, () -> append(CRLF_MESSAGE, Set.of(), Set.of("two words")));
        assertThrows(InvalidKeywordException.class, () -> append(CRLF_MESSAGE, Set.of(), Set.of("\\Seen")));
        assertThrows(InvalidKeywordException.class, () -> append(CRLF_MESSAGE, Set.of(), Set.of("")));
        var stored = append(CRLF_MESSAGE, Set.of(), Set.of());
        for (int i = 0; i < 26; i++) {
            stored = inbox.setFlags(stored, Set.of(), Set.of("kw" + i));
        }
        var last = stored;
        assertThrows(InvalidKeywordException.class, () -> inbox.setFlags(last, Set.of(), Set.of("kw26")));
        assertEquals(List.of(last), StatedScan.of(inbox));
    }

    /** A STORE over a range: keywords that do not all fit change no message; one expunged elsewhere is left out. */
    @Test
    void setFlagsOfSeveralMessagesIsAllOrNothingAndSkipsTheGone() throws IOException {
        var first = append(CRLF_MESSAGE, Set.of(), Set.of());
        var second = append(CRLF_MESSAGE, Set.of(), Set.of());
        var third = append(CRLF_MESSAGE, Set.of(), Set.of());
        var many = new java.util.HashSet<String>();
        for (int i = 0; i < 20; i++) {
            many.add("kw" + i);
        }
        var more = new java.util.HashSet<String>();
        for (int i = 20; i < 30; i++) {
            more.add("kw" + i);
        }
        var before = curFiles(user);
        assertThrows(InvalidKeywordException.class, () -> inbox.setFlags(List.of(
                new MailboxStore.FlagUpdate(first, Set.of(SystemFlag.SEEN), many),
                new MailboxStore.FlagUpdate(second, Set.of(), more))));
        assertEquals(before, curFiles(user), "no file renamed when the second update's keywords do not fit");

        Files.delete(user.resolve("cur").resolve(curFiles(user).get(1)));
        var updated = inbox.setFlags(List.of(new MailboxStore.FlagUpdate(first, Set.of(SystemFlag.FLAGGED), Set.of()),
                new MailboxStore.FlagUpdate(second, Set.of(SystemFlag.FLAGGED), Set.of()),
                new MailboxStore.FlagUpdate(third, Set.of(SystemFlag.FLAGGED), Set.of())));
        assertEquals(List.of(first.uid(), third.uid()), updated.stream().map(StoredMessage::uid).toList());
        assertTrue(curFiles(user).stream().allMatch(name -> name.endsWith(":2,F")), curFiles(user).toString());
        assertEquals(updated, StatedScan.of(inbox));
    }

    @Test
    void setFlagsRenamesTheFileAndKeepsUidAndKey() throws IOException {
        var stored = append(CRLF_MESSAGE, Set.of(), Set.of());
        var changed = inbox.setFlags(stored, Set.of(SystemFlag.SEEN, SystemFlag.DRAFT), Set.of("Important"));
        assertEquals(stored.uid(), changed.uid());
        assertEquals(stored.key(), changed.key());
        assertEquals(Set.of(SystemFlag.SEEN, SystemFlag.DRAFT), changed.flags());
        assertTrue(curFiles(user).get(0).endsWith(":2,DSa"));
        assertEquals(List.of(changed), StatedScan.of(inbox));
        var cleared = inbox.setFlags(changed, Set.of(), Set.of());
        assertTrue(curFiles(user).get(0).endsWith(":2,"));
        assertEquals(List.of(cleared), StatedScan.of(inbox));
    }

    @Test
    void setFlagsFindsAFileRenamedByAnotherProcess() throws IOException {
        var stored = append(CRLF_MESSAGE, Set.of(), Set.of());
        var cur = user.resolve("cur");
        var name = curFiles(user).get(0);
        Files.move(cur.resolve(name), cur.resolve(name.replace(":2,", ":2,F")));   // e.g. Dovecot flagged it
        var changed = inbox.setFlags(stored, Set.of(SystemFlag.SEEN), Set.of());
        assertEquals(Set.of(SystemFlag.SEEN), changed.flags());
        assertEquals(List.of(changed), StatedScan.of(inbox));
        assertArrayEquals(CRLF_MESSAGE, read(inbox.open(stored)));
    }

    @Test
    void setFlagsOfAMessageExpungedElsewhereSaysSo() throws IOException {
        var stored = append(CRLF_MESSAGE, Set.of(), Set.of());
        Files.delete(user.resolve("cur").resolve(curFiles(user).get(0)));
        assertThrows(MessageNotFoundException.class, () -> inbox.setFlags(stored, Set.of(SystemFlag.SEEN), Set.of()));
        assertTrue(inbox.scan().isEmpty());
    }

    @Test
    void foreignFlagLettersSurviveFlagChanges() throws IOException {
        var stored = append(CRLF_MESSAGE, Set.of(), Set.of());
        var cur = user.resolve("cur");
        var name = curFiles(user).get(0);
        Files.move(cur.resolve(name), cur.resolve(name.replace(":2,", ":2,P")));
        inbox.setFlags(stored, Set.of(SystemFlag.SEEN), Set.of());
        assertTrue(curFiles(user).get(0).endsWith(":2,PS"), curFiles(user).toString());
    }

    @Test
    void expungeRemovesFilesAndUidListEntries() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(), Set.of());
        var b = append(CRLF_MESSAGE, Set.of(SystemFlag.DELETED), Set.of());
        var c = append(CRLF_MESSAGE, Set.of(), Set.of());
        inbox.expunge(List.of(b));
        assertEquals(List.of(a, c), StatedScan.of(inbox));
        assertEquals(2, curFiles(user).size());
        assertFalse(Files.readString(user.resolve("dovecot-uidlist")).contains(b.key()));
        assertThrows(MessageNotFoundException.class, () -> inbox.open(b));
        inbox.expunge(List.of(b));   // already gone: ignored
        var d = append(CRLF_MESSAGE, Set.of(), Set.of());
        assertEquals(4, d.uid(), "UIDs are not reused");
    }

    @Test
    void messagesDeliveredToNewGetUidsInDeliveryOrderAndMoveToCur() throws IOException {
        var existing = append(CRLF_MESSAGE, Set.of(), Set.of());
        var fresh = user.resolve("new");
        Files.write(fresh.resolve("1700000002.M5P1.host"), LF_MESSAGE);
        Files.write(fresh.resolve("1700000001.M9P1.host"), CRLF_MESSAGE);
        Files.write(fresh.resolve("1700000001.M10P1.host"), CRLF_MESSAGE);
        var messages = inbox.scan();
        assertEquals(List.of(existing.key(), "1700000001.M9P1.host", "1700000001.M10P1.host", "1700000002.M5P1.host"),
                messages.stream().map(StoredMessage::key).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(StoredMessage.UNKNOWN_SIZE, messages.get(3).virtualSize(), "a scan reads no message");
        assertEquals(StoredMessage.UNKNOWN_SIZE, messages.get(3).physicalSize(), "nor stats one");
        assertEquals(LF_MESSAGE.length, inbox.stat(messages.get(3)).physicalSize());
        try (Stream<Path> left = Files.list(fresh)) {
            assertEquals(0, left.count());
        }
        assertTrue(curFiles(user).contains("1700000002.M5P1.host:2,"));
        assertTrue(Files.readString(user.resolve("dovecot-uidlist")).contains("\n4 :1700000002.M5P1.host\n"));
        assertEquals(messages, inbox.scan(), "stable");
    }

    @Test
    void oddFilesInCurAndNewAreHandled() throws IOException {
        var cur = user.resolve("cur");
        Files.write(cur.resolve(".hidden"), CRLF_MESSAGE);
        Files.createDirectories(cur.resolve("subdir"));
        Files.write(cur.resolve("nosuffix"), CRLF_MESSAGE);
        Files.write(cur.resolve("oldinfo:1,xyz"), CRLF_MESSAGE);
        Files.createDirectories(user.resolve("new/dir"));
        Files.write(user.resolve("new/.dot"), CRLF_MESSAGE);
        var messages = inbox.scan();
        assertEquals(List.of("nosuffix", "oldinfo"), messages.stream().map(StoredMessage::key).sorted().toList());
        var nosuffix = messages.stream().filter(m -> m.key().equals("nosuffix")).findFirst().orElseThrow();
        assertEquals(Set.of(), nosuffix.flags());
        inbox.setFlags(nosuffix, Set.of(SystemFlag.SEEN), Set.of());
        assertTrue(Files.exists(cur.resolve("nosuffix:2,S")));
        assertTrue(Files.exists(user.resolve("new/.dot")));
    }

    @Test
    void duplicateBaseNamesGetDistinctUids() throws IOException {
        var cur = user.resolve("cur");
        Files.write(cur.resolve("1700000000.dup:2,S"), CRLF_MESSAGE);
        Files.write(cur.resolve("1700000000.dup:2,F"), CRLF_MESSAGE);
        var messages = inbox.scan();
        assertEquals(2, messages.size());
        assertNotEquals(messages.get(0).key(), messages.get(1).key());
        assertEquals(messages, inbox.scan());
    }

    @Test
    void damagedUidListAndKeywordLinesAreSkippedNotThrown() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(SystemFlag.SEEN), Set.of("Keep"));
        var b = append(CRLF_MESSAGE, Set.of(), Set.of());
        long validity = inbox.uidValidity();
        var list = user.resolve("dovecot-uidlist");
        var lines = Files.readString(list).split("\n");
        Files.writeString(list, lines[0] + "\ngarbage line\n" + lines[1] + "\n99999999999 :x\n\u0000\u0001\n1 :dupe\n"
                + lines[2] + "\nnot-a-uid :y\n");
        Files.writeString(user.resolve("dovecot-keywords"), "0 Keep\nbroken\n40 Far\n1 two words\n0 Again\n");
        var reopened = new MaildirDriver().open(user).mailbox("INBOX");
        assertEquals(List.of(a, b), StatedScan.of(reopened));
        assertEquals(validity, reopened.uidValidity());
        var rewritten = Files.readString(list);
        assertFalse(rewritten.contains("garbage"), "the list is rewritten clean");
    }

    @Test
    void lostUidListHeaderGivesNewUidValidityButKeepsUids() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(), Set.of());
        long validity = inbox.uidValidity();
        var list = user.resolve("dovecot-uidlist");
        var lines = Files.readString(list).split("\n");
        Files.writeString(list, "\u0000\u0000 garbage\n" + lines[1] + "\n");
        var reopened = new MaildirDriver().open(user).mailbox("INBOX");
        var messages = reopened.scan();
        assertEquals(List.of(a.uid()), messages.stream().map(StoredMessage::uid).toList());
        assertNotEquals(validity, reopened.uidValidity());
    }

    @Test
    void lostUidListRenumbersUnderNewUidValidity() throws IOException {
        append(CRLF_MESSAGE, Set.of(), Set.of());
        append(CRLF_MESSAGE, Set.of(), Set.of());
        long validity = inbox.uidValidity();
        Files.delete(user.resolve("dovecot-uidlist"));
        var reopened = new MaildirDriver().open(user).mailbox("INBOX");
        assertEquals(List.of(1L, 2L), reopened.scan().stream().map(StoredMessage::uid).toList());
        assertNotEquals(validity, reopened.uidValidity());
    }

    @Test
    void exhaustedUidSpaceRenumbersUnderNewUidValidityInsteadOfFailingScan() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(), Set.of());
        long validity = inbox.uidValidity();
        var list = user.resolve("dovecot-uidlist");
        var lines = Files.readString(list).split("\n");
        Files.writeString(list, "3 V" + validity + " N4294967296\n" + lines[1].replaceFirst("^1 ", "4294967295 ") + "\n");
        var reopened = new MaildirDriver().open(user).mailbox("INBOX");
        assertThrows(org.roost.mail.StorageException.class,
                () -> reopened.append(new ByteArrayInputStream(CRLF_MESSAGE), Set.of(), Set.of(), DATE));
        Files.write(user.resolve("new/1700000000.M1P1.late"), CRLF_MESSAGE);
        var messages = reopened.scan();
        assertEquals(List.of(1L, 2L), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(List.of(a.key(), "1700000000.M1P1.late"), messages.stream().map(StoredMessage::key).toList());
        assertNotEquals(validity, reopened.uidValidity());
    }

    @Test
    void aMailboxDeletedUnderneathReportsNotFound() throws IOException {
        store.create("Gone");
        var gone = store.mailbox("Gone");
        store.delete("Gone");
        assertThrows(org.roost.mail.MailboxNotFoundException.class, gone::scan);
        assertThrows(org.roost.mail.MailboxNotFoundException.class,
                () -> gone.append(new ByteArrayInputStream(CRLF_MESSAGE), Set.of(), Set.of(), DATE));
    }

    @Test
    void uidValidityAndUidsSurviveReopening() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(), Set.of());
        long validity = inbox.uidValidity();
        var reopened = new MaildirDriver().open(user).mailbox("INBOX");
        assertEquals(validity, reopened.uidValidity());
        assertEquals(List.of(a), StatedScan.of(reopened));
        assertEquals(2, reopened.nextUid());
    }

    @Test
    void externalDeletionIsNoticed() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(), Set.of());
        var b = append(CRLF_MESSAGE, Set.of(), Set.of());
        Files.delete(user.resolve("cur").resolve(curFiles(user).get(0)));
        var left = StatedScan.of(inbox);
        assertEquals(1, left.size());
        assertTrue(left.get(0).equals(a) || left.get(0).equals(b));
        assertThrows(MessageNotFoundException.class,
                () -> inbox.open(left.get(0).equals(a) ? b : a).close());
    }

    @Test
    void copyHardLinksAndKeepsFlagsKeywordsAndDate() throws IOException {
        store.create("Archive");
        var archive = store.mailbox("Archive");
        archive.append(new ByteArrayInputStream(CRLF_MESSAGE), Set.of(), Set.of("Other"), DATE);
        var a = append(LF_MESSAGE, Set.of(SystemFlag.SEEN, SystemFlag.FLAGGED), Set.of("Project-X"));
        var b = append(CRLF_MESSAGE, Set.of(), Set.of());
        var copies = inbox.copyTo(archive, List.of(b, a));
        assertEquals(List.of(2L, 3L), copies.stream().map(StoredMessage::uid).toList());
        var copyOfA = copies.get(1);
        assertEquals(a.flags(), copyOfA.flags());
        assertEquals(Set.of("Project-X"), copyOfA.keywords());
        assertEquals(DATE, copyOfA.internalDate());
        assertEquals(a.virtualSize(), copyOfA.virtualSize());
        assertArrayEquals(LF_MESSAGE, read(archive.open(copyOfA)));
        assertEquals("0 Other\n1 Project-X\n", Files.readString(user.resolve(".Archive/dovecot-keywords")));
        var scanned = StatedScan.of(archive);
        assertEquals(copies, scanned.subList(1, 3));
        var sourceFile = user.resolve("cur").resolve(curFiles(user).stream().filter(n -> n.startsWith(a.key())).findFirst().orElseThrow());
        var copyFile = user.resolve(".Archive/cur").resolve(curFiles(user.resolve(".Archive")).stream()
                .filter(n -> n.startsWith(copyOfA.key())).findFirst().orElseThrow());
        assertEquals(Files.readAttributes(sourceFile, "unix:ino"), Files.readAttributes(copyFile, "unix:ino"), "hard link");
        inbox.expunge(List.of(a));
        assertArrayEquals(LF_MESSAGE, read(archive.open(copyOfA)), "the copy outlives the original");
    }

    @Test
    void copyIntoTheSameMailboxWorks() throws IOException {
        var a = append(CRLF_MESSAGE, Set.of(SystemFlag.SEEN), Set.of());
        var copies = inbox.copyTo(inbox, List.of(a));
        assertEquals(2, copies.get(0).uid());
        assertEquals(2, inbox.scan().size());
    }

    @Test
    void copyOfAnExpungedMessageFailsAndCopiesNothing() throws IOException {
        store.create("Archive");
        var archive = store.mailbox("Archive");
        var a = append(CRLF_MESSAGE, Set.of(), Set.of());
        var b = append(CRLF_MESSAGE, Set.of(), Set.of());
        inbox.expunge(List.of(b));
        assertThrows(MessageNotFoundException.class, () -> inbox.copyTo(archive, List.of(a, b)));
        assertTrue(archive.scan().isEmpty());
        assertEquals(1, archive.nextUid());
    }

    @Test
    void copyToAnotherKindOfStoreStreamsThroughAppend() throws IOException {
        var a = append(LF_MESSAGE, Set.of(SystemFlag.ANSWERED), Set.of("K"));
        store.create("Other");
        var target = new ForwardingStore(store.mailbox("Other"));
        var copies = inbox.copyTo(target, List.of(a));
        assertEquals(Set.of(SystemFlag.ANSWERED), copies.get(0).flags());
        assertEquals(Set.of("K"), copies.get(0).keywords());
        assertArrayEquals(LF_MESSAGE, read(target.open(copies.get(0))));
    }

    @Test
    void manyAppendsOnOneMailboxFromVirtualThreadsGetUniqueUids() throws Exception {
        var uids = java.util.concurrent.ConcurrentHashMap.<Long>newKeySet();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = IntStream.range(0, 64).mapToObj(i -> executor.submit(() ->
                    uids.add(append(CRLF_MESSAGE, Set.of(), Set.of("k" + (i % 3))).uid()))).toList();
            for (var future : futures) {
                assertTrue(future.get());
            }
        }
        assertEquals(64, uids.size());
        assertEquals(64, inbox.scan().size());
        assertEquals(65, inbox.nextUid());
    }

    /** A Maildir Dovecot served over POP3: records 1 and 3 carry a POP3 UIDL in their P field. */
    private MailboxStore migratedMailbox() throws IOException {
        var dir = root.resolve("migrated");
        Files.createDirectories(dir.resolve("cur"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(dir.resolve("cur").resolve("160000000" + i + ".M" + i + "P7.old:2,S"), "m" + i + "\n");
        }
        Files.writeString(dir.resolve("dovecot-uidlist"), "3 V1700000000 N4 G0123456789abcdef0123456789abcdef\n"
                + "1 P0000002a4f1b2c3d W3 :1600000001.M1P7.old\n"
                + "2 W3 :1600000002.M2P7.old\n"
                + "3 W3 Puidl-three :1600000003.M3P7.old\n");
        return new MaildirDriver().open(dir).mailbox("INBOX");
    }

    @Test
    void pop3UidlsAreThePFieldsOfTheUidList() throws IOException {
        var mailbox = migratedMailbox();
        var expected = java.util.Map.of("1600000001.M1P7.old", "0000002a4f1b2c3d", "1600000003.M3P7.old", "uidl-three");
        assertEquals(expected, mailbox.pop3Uidls(), "read before any scan");
        var messages = mailbox.scan();
        assertEquals(List.of("1600000001.M1P7.old", "1600000002.M2P7.old", "1600000003.M3P7.old"),
                messages.stream().map(StoredMessage::key).toList());
        assertEquals(expected, mailbox.pop3Uidls(), "keys are those of the scanned messages");
    }

    @Test
    void pop3UidlsSurviveARewriteAndLeaveWithExpungedMessages() throws IOException {
        var mailbox = migratedMailbox();
        var messages = mailbox.scan();
        mailbox.expunge(List.of(messages.get(0)));
        mailbox.setFlags(messages.get(2), Set.of(SystemFlag.FLAGGED), Set.of());
        assertEquals(java.util.Map.of("1600000003.M3P7.old", "uidl-three"), mailbox.pop3Uidls());
        assertTrue(Files.readString(root.resolve("migrated/dovecot-uidlist")).contains(" Puidl-three "));
    }

    @Test
    void aMailboxWithoutStoredUidlsHasNone() throws IOException {
        append(CRLF_MESSAGE, Set.of(), Set.of());
        assertEquals(java.util.Map.of(), inbox.pop3Uidls());
    }

    /** A MailboxStore that is not a Maildir one, to take copyTo's generic path. */
    private static final class ForwardingStore extends org.roost.testing.ForwardingMailboxStore {
        ForwardingStore(MailboxStore delegate) {
            super(delegate);
        }
    }
}
