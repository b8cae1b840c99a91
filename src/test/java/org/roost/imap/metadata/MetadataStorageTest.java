package org.roost.imap.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Annotations kept with their mailbox, in each storage format (files beside it; rows of the database store): they
 * follow RENAME (INBOX's are copied, RFC 5464 §4.1), go with DELETE so that a new mailbox of the same name starts
 * bare, and a file damaged or written by another program is answered from what can be read of it.
 */
@Timeout(60)
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"maildir", "mbox", "postgres"})
class MetadataStorageTest {
    @Parameter
    String storage;
    private TestServer server;
    private String user;
    private RawImapClient imap;

    @BeforeEach
    void login() throws IOException {
        server = TestServer.shared(storage);
        user = server.newUser();
        imap = server.login(user);
    }

    @AfterEach
    void logout() throws IOException {
        imap.close();
    }

    /** Where the store keeps the annotations of {@code mailbox} (a top-level one). */
    private Path file(String mailbox) {
        var home = server.maildir(user);
        return storage.equals("maildir") ? home.resolve("." + mailbox).resolve("roost-metadata")
                : home.resolve(".imap").resolve(mailbox).resolve("roost-metadata");
    }

    private List<String> get(String mailbox, String entries) throws IOException {
        return imap.expectOk("GETMETADATA " + mailbox + " " + entries).untagged();
    }

    @Test
    void annotationsFollowRenameAndGoWithDelete() throws IOException {
        imap.expectOk("CREATE Work");
        imap.expectOk("SETMETADATA Work (/private/comment \"mine\" /shared/comment \"ours\")");
        imap.expectOk("RENAME Work Play");
        assertEquals(List.of("* METADATA \"Play\" (/private/comment \"mine\" /shared/comment \"ours\")"),
                get("Play", "(/private/comment /shared/comment)"));
        if (!storage.equals("mbox")) { // an mbox mailbox is a file: it has no inferiors to take along
            var child = storage.equals("maildir") ? ".Child" : "/Child";
            imap.expectOk("CREATE Play" + child);
            imap.expectOk("SETMETADATA Play" + child + " (/private/comment \"child\")");
            imap.expectOk("RENAME Play Grove");
            assertEquals(List.of("* METADATA \"Grove" + child + "\" (/private/comment \"child\")"),
                    get("Grove" + child, "/private/comment"));
            imap.expectOk("RENAME Grove Play");
        }
        assertEquals("a NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("a", "GETMETADATA Work /private/comment"));
        imap.expectOk("CREATE Work");
        assertEquals(List.of("* METADATA \"Work\" (/private/comment NIL)"), get("Work", "/private/comment"));
        imap.expectOk("DELETE Play");
        imap.expectOk("CREATE Play");
        assertEquals(List.of("* METADATA \"Play\" (/private/comment NIL)"), get("Play", "/private/comment"));
    }

    @Test
    void inboxKeepsItsAnnotationsAndTheRenamedMailboxGetsACopy() throws IOException {
        imap.expectOk("SETMETADATA INBOX (/private/comment \"inbox\")");
        imap.expectOk("RENAME INBOX Old");
        assertEquals(List.of("* METADATA \"Old\" (/private/comment \"inbox\")"), get("Old", "/private/comment"));
        assertEquals(List.of("* METADATA \"INBOX\" (/private/comment \"inbox\")"), get("INBOX", "/private/comment"));
        imap.expectOk("SETMETADATA Old (/private/comment \"old\")");
        assertEquals(List.of("* METADATA \"INBOX\" (/private/comment \"inbox\")"), get("INBOX", "/private/comment"));
    }

    @Test
    void aFileWrittenByAnotherProgramInTheDocumentedFormatIsRead() throws IOException {
        assumeFalse(storage.equals("postgres"), "rows, not files");
        imap.expectOk("CREATE Work");
        Files.createDirectories(file("Work").getParent());
        Files.write(file("Work"), ("roost-metadata 1\n" + entry("/private/comment", "from outside")
                + entry("/shared/x", "")).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("* METADATA \"Work\" (/private/comment \"from outside\" /shared/x \"\")"),
                get("Work", "(/private/comment /shared/x)"));
    }

    @Test
    void aDamagedFileIsReadAsFarAsItsEntriesCheckAndThenWrittenClean() throws IOException {
        assumeFalse(storage.equals("postgres"), "rows, not files");
        imap.expectOk("CREATE Work");
        imap.expectOk("SETMETADATA Work (/private/a \"first\" /private/b \"second\" /private/c \"third\")");
        var bytes = Files.readAllBytes(file("Work"));
        var text = new String(bytes, StandardCharsets.ISO_8859_1);
        bytes[text.indexOf("second")] = 'S'; // one flipped letter: /private/b fails its checksum
        Files.write(file("Work"), bytes);
        assertEquals(List.of("* METADATA \"Work\" (/private/a \"first\" /private/b NIL /private/c NIL)"),
                get("Work", "(/private/a /private/b /private/c)"));
        imap.expectOk("SETMETADATA Work (/private/d \"fourth\")");
        assertEquals(List.of("* METADATA \"Work\" (/private/a \"first\" /private/d \"fourth\")"),
                get("Work", "(DEPTH 1) /private"));
        // cut short in the middle of a value
        var whole = Files.readAllBytes(file("Work"));
        Files.write(file("Work"), java.util.Arrays.copyOf(whole, whole.length - 4));
        assertEquals(List.of("* METADATA \"Work\" (/private/a \"first\")"), get("Work", "(DEPTH 1) /private"));
    }

    @Test
    void garbageOfAnySizeIsAnsweredNotCrashedOn() throws IOException {
        assumeFalse(storage.equals("postgres"), "rows, not files");
        imap.expectOk("CREATE Work");
        var random = new Random(5464);
        for (int size : new int[] {0, 1, 17, 100_000, 20_000_000}) {
            var garbage = new byte[size];
            random.nextBytes(garbage);
            if (size == 17) {
                System.arraycopy("roost-metadata 1\n".getBytes(StandardCharsets.US_ASCII), 0, garbage, 0, 17);
            }
            Files.createDirectories(file("Work").getParent());
            Files.write(file("Work"), garbage);
            assertEquals(List.of("* METADATA \"Work\" (/private/comment NIL)"), get("Work", "/private/comment"),
                    "garbage of " + size);
        }
        imap.expectOk("SETMETADATA Work (/private/comment \"fresh\")");
        assertEquals(List.of("* METADATA \"Work\" (/private/comment \"fresh\")"), get("Work", "/private/comment"));
    }

    /** One entry as the file format says: CRC-32C of name, NUL and value; the value's length; the name. */
    private static String entry(String name, String value) {
        var crc = new CRC32C();
        crc.update(name.getBytes(StandardCharsets.ISO_8859_1));
        crc.update(0);
        crc.update(value.getBytes(StandardCharsets.ISO_8859_1));
        return HexFormat.of().toHexDigits((int) crc.getValue()) + " " + value.length() + " " + name + "\n" + value + "\n";
    }
}
