package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;

/**
 * Maildirs that other programs wrote (Courier, maildrop, procmail, mutt, a hand): a scan opens no
 * message file whatever the names say, the physical size is the file's, and a virtual size is
 * taken from the name or the uid list only when it fits the file; every other one is left unknown,
 * for the index to measure.
 */
class ForeignNamesTest {
    /** 5 lines, bare LF: 63 bytes on disk, 68 as sent. */
    static final byte[] LF = "Subject: from an MDA\nFrom: a@example.org\n\nline one\nline two\n"
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] CRLF = "Subject: crlf\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    static final long UNKNOWN = StoredMessage.UNKNOWN_SIZE;

    @TempDir
    Path root;
    Path user;
    MailStore store;

    @BeforeEach
    void open() throws IOException {
        user = root.resolve("user");
        store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(user);
        store.mailbox("INBOX");
    }

    private void write(String dir, String name, byte[] content) throws IOException {
        Files.write(user.resolve(dir).resolve(name), content);
    }

    /** The file names of the fixture, each with the virtual size a scan must report. */
    private Map<String, Long> foreignMaildir() throws IOException {
        int lf = LF.length;
        int crlf = CRLF.length;
        var expected = new LinkedHashMap<String, Long>();
        expected.put("1700000001.M1P1V0000000000000803I00000000000A1B2C_0.mx,S=" + lf + ":2,S", UNKNOWN); // Courier
        expected.put("1700000002.M2P1.mx:2,", UNKNOWN);                        // no size at all
        expected.put("1700000003.M3P1.mx", UNKNOWN);                           // not even an info part
        expected.put("1700000004.M4P1.mx,S=99999:2,", UNKNOWN);                // S= lies
        expected.put("1700000005.M5P1.mx,W=" + (lf + 5) + ",S=" + lf + ":2,F", (long) lf + 5); // W= first, true
        expected.put("1700000006.M6P1.mx,S=" + lf + ",W=3:2,", UNKNOWN);        // W= below the file's size
        expected.put("1700000007.M7P1.mx,S=" + lf + ",W=" + (2 * lf + 1) + ":2,", UNKNOWN); // above twice it
        expected.put("1700000008.M8P1.mx,S=1,W=" + (lf + 5) + ":2,", UNKNOWN); // W= fits, but its S= lies
        expected.put("1700000009.M9P1.mx,S=6x3:2,", UNKNOWN);                  // digits then garbage
        expected.put("1700000010.M10P1.mx,S=123456789012345678901234567890:2,", UNKNOWN); // overlong
        expected.put("1700000011.M11P1.mx,S=" + crlf + ",W=" + crlf + ":2,S", (long) crlf); // Dovecot's, CRLF
        expected.put("1700000012.M12P1.mx,W=" + (lf + 5) + ":2,", (long) lf + 5); // W= alone, fits
        expected.put("1700000013.M13P1.mx,S=,W=:2,", UNKNOWN);                  // empty fields
        for (var name : expected.keySet()) {
            write("cur", name, name.contains("M11P1") ? CRLF : LF);
        }
        write("new", "1700000014.M14P1.procmail", LF); // delivered, not yet seen
        expected.put("1700000014.M14P1.procmail", UNKNOWN);
        return expected;
    }

    @Test
    void aScanNeitherOpensNorStatsAMessageAndAStatBelievesOnlySizesThatFitTheFile() throws IOException {
        var expected = foreignMaildir();
        long opensBefore = MaildirMailbox.messageOpens();
        long statsBefore = FileStats.messageStats();
        var inbox = store.mailbox("INBOX");
        var scanned = inbox.scan();
        assertEquals(opensBefore, MaildirMailbox.messageOpens(), "a scan opens no message file");
        assertEquals(statsBefore + 1, FileStats.messageStats(), "it stats only the file in new/, which it moves");
        assertEquals(expected.size(), scanned.size());
        for (var m : scanned) {
            assertEquals(List.of(UNKNOWN, UNKNOWN), List.of(m.physicalSize(), m.virtualSize()));
            assertEquals(StoredMessage.UNKNOWN_DATE, m.internalDate());
            var name = expected.keySet().stream().filter(n -> n.startsWith(m.key())).findFirst().orElseThrow();
            var stated = inbox.stat(m);
            assertEquals(expected.get(name), stated.virtualSize(), name);
            assertEquals(name.contains("M11P1") ? CRLF.length : LF.length, stated.physicalSize(), "the file's size: " + name);
        }
        assertEquals(opensBefore, MaildirMailbox.messageOpens(), "a stat opens no message file");
        var uidList = Files.readString(user.resolve("dovecot-uidlist"));
        assertTrue(!uidList.contains(" S") && !uidList.contains(" W"), "nothing measured into the uid list:\n" + uidList);
    }

    @Test
    void theUidListsSizesAreBelievedOnlyWhenTheyFitTheFile() throws IOException {
        write("cur", "1700000001.M1P1.mx:2,", LF);
        write("cur", "1700000002.M2P1.mx:2,", LF);
        write("cur", "1700000003.M3P1.mx:2,", LF);
        Files.writeString(user.resolve("dovecot-uidlist"), "3 V1700000000 N4 G0123456789abcdef0123456789abcdef\n"
                + "1 S" + LF.length + " W" + (LF.length + 5) + " :1700000001.M1P1.mx\n"
                + "2 S" + (LF.length + 1) + " W" + (LF.length + 5) + " :1700000002.M2P1.mx\n"
                + "3 W" + (3 * LF.length) + " :1700000003.M3P1.mx\n");
        var sizes = StatedScan.of(store.mailbox("INBOX")).stream()
                .collect(Collectors.toMap(StoredMessage::uid, StoredMessage::virtualSize));
        assertEquals(Map.of(1L, (long) LF.length + 5, 2L, UNKNOWN, 3L, UNKNOWN), sizes);
    }

    @Test
    void aMessageIsOpenedByTheNameItsFlagsImplyOrFoundWhereverAnotherProgramMovedIt() throws IOException {
        var expected = foreignMaildir();
        var inbox = store.mailbox("INBOX");
        var messages = inbox.scan();
        var reopened = store.mailbox("INBOX"); // as after a restart: no listing remembered
        for (var m : messages) {
            try (var in = reopened.open(m)) {
                var name = expected.keySet().stream().filter(n -> n.startsWith(m.key())).findFirst().orElseThrow();
                assertArrayEquals(name.contains("M11P1") ? CRLF : LF, in.readAllBytes(), name);
            }
        }
        var first = messages.getFirst();
        var path = user.resolve("cur").resolve(expected.keySet().iterator().next());
        Files.move(path, path.resolveSibling(first.key() + ":2,PS")); // another program's flag letters
        try (var in = store.mailbox("INBOX").open(first)) {
            assertArrayEquals(LF, in.readAllBytes());
        }
    }

    @Test
    void aSymbolicLinkInPlaceOfAMessageIsNotFollowed() throws IOException {
        write("cur", "1700000001.M1P1.mx:2,", LF);
        var inbox = store.mailbox("INBOX");
        var message = inbox.scan().getFirst();
        var secret = Files.writeString(root.resolve("secret"), "not mail");
        var file = user.resolve("cur").resolve("1700000001.M1P1.mx:2,");
        Files.delete(file);
        Files.createSymbolicLink(file, secret);
        var reopened = store.mailbox("INBOX");
        assertThrows(IOException.class, () -> {
            try (var in = reopened.open(message)) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void aCopyOfAMessageNotMeasuredYetIsNamedWithItsFileSizeOnly() throws IOException {
        write("cur", "1700000001.M1P1.mx:2,S", LF);
        store.create("Archive");
        var inbox = store.mailbox("INBOX");
        var copies = inbox.copyTo(store.mailbox("Archive"), StatedScan.of(inbox));
        assertEquals(UNKNOWN, copies.getFirst().virtualSize());
        try (var names = Files.list(user.resolve(".Archive/cur"))) {
            var name = names.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
            assertTrue(name.contains(",S=" + LF.length + ":2,S") && !name.contains(",W="), name);
        }
        MailboxStore archive = store.mailbox("Archive");
        assertEquals(List.of(UNKNOWN), StatedScan.of(archive).stream().map(StoredMessage::virtualSize).toList());
        assertEquals(Set.of(LF.length), StatedScan.of(archive).stream().map(m -> (int) m.physicalSize())
                .collect(Collectors.toSet()));
    }
}
