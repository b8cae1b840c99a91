package org.roost.imap.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * What a hostile or careless client may send with METADATA: entry names against RFC 5464 §3.2, names too long
 * or too deep, values larger than the server takes (refused before a synchronizing literal is sent, read past
 * without being kept when it is non-synchronizing), and ten thousand entries in one command. Each gets a precise
 * answer, and the session goes on.
 */
@Timeout(60)
class MetadataHostileInputTest extends MetadataServerTestBase {

    @BeforeParameterizedClassInvocation
    void startServer(String storage, @TempDir Path dir) throws IOException {
        start(dir, Map.of("ROOST_METADATA_MAXVALUESIZE", "1024", "ROOST_METADATA_MAXENTRIES",
                "10000", "ROOST_METADATA_MAXENTRYNAMELENGTH", "256"));
    }

    @Test
    void entryNamesOutsideSection32AreBad() throws IOException {
        try (var imap = login("u0")) {
            for (var name : List.of("private/comment", "/private//comment", "/private/comment/", "\"/private/*\"",
                    "\"/private/a%b\"", "/other/comment", "/private", "/shared", "/shared/vendor/acme",
                    "\"\"", "/" + "a".repeat(300))) {
                var answer = imap.run("SETMETADATA INBOX (" + name + " \"v\")");
                assertTrue(answer.tagged().matches("\\S+ BAD Invalid entry name: .*|\\S+ BAD Entry name longer .*"),
                        name + " -> " + answer);
            }
            // non-ASCII and control characters reach the parser only in literals
            for (var name : List.of("/private/caf\u00e9", "/private/a\u0001b", "/private/a\u007fb")) {
                var bytes = name.getBytes(StandardCharsets.UTF_8);
                imap.write("a SETMETADATA INBOX ({" + bytes.length + "+}\r\n");
                imap.write(bytes);
                imap.write(" \"v\")\r\n");
                assertTrue(imap.readLine().startsWith("a BAD Invalid entry name: only printable ASCII"), name);
            }
            // GETMETADATA checks the same rules, but may name /private and /shared themselves
            assertTrue(imap.run("GETMETADATA INBOX /private//x").tagged().contains(" BAD "));
            assertEquals(List.of(), imap.expectOk("GETMETADATA INBOX (DEPTH infinity) (/private /shared)").untagged());
            imap.expectOk("NOOP");
        }
    }

    @Test
    void namesAreCaseInsensitiveAndDeepNamesWithinTheLengthWork() throws IOException {
        try (var imap = login("u1")) {
            var deep = "/private" + "/a".repeat(124); // 256 octets: as long as allowed, 125 components
            imap.expectOk("SETMETADATA INBOX (" + deep + " \"deep\" /Private/Comment \"c\")");
            assertEquals(List.of("* METADATA \"INBOX\" (" + deep + " \"deep\" /private/comment \"c\")"),
                    imap.expectOk("GETMETADATA INBOX (DEPTH infinity) /PRIVATE").untagged());
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment \"c\")"),
                    imap.expectOk("GETMETADATA INBOX (DEPTH 1) /private").untagged());
            assertTrue(imap.run("GETMETADATA INBOX " + deep + "/a").tagged().contains(" BAD Entry name longer"));
            // spaces and quotes are discouraged, not forbidden: such a name comes back quoted
            imap.expectOk("SETMETADATA INBOX (\"/private/a \\\"b\\\"\" NIL \"/shared/vendor/acme/x y\" \"v\")");
            assertEquals(List.of("* METADATA \"INBOX\" (\"/shared/vendor/acme/x y\" \"v\")"),
                    imap.expectOk("GETMETADATA INBOX (DEPTH infinity) /shared").untagged());
        }
    }

    @Test
    void aLargeSynchronizingLiteralIsRefusedBeforeItIsSent() throws IOException {
        try (var imap = login("u2")) {
            imap.write("a SETMETADATA INBOX (/private/comment {1000000}\r\n");
            // no "+": the client sends nothing more, and is told the largest value taken
            assertEquals("a NO [METADATA MAXSIZE 1024] SETMETADATA failed: value too large", imap.readLine());
            // also beyond the connection's literal limit: the usual refusal
            imap.write("b SETMETADATA INBOX (/private/comment {99999999999}\r\n");
            assertTrue(imap.readLine().startsWith("b BAD "));
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment NIL)"),
                    imap.expectOk("GETMETADATA INBOX /private/comment").untagged());
        }
    }

    @Test
    void aLargeNonSynchronizingLiteralIsReadPastAndRefused() throws IOException {
        try (var imap = login("u3")) {
            imap.write("a SETMETADATA INBOX (/private/big {2000000+}\r\n");
            imap.write(new byte[2_000_000]);
            imap.write(" /private/small \"kept?\")\r\n");
            assertEquals("a NO [METADATA MAXSIZE 1024] SETMETADATA failed: value too large", imap.readLine());
            // a quoted value too long, and nothing of a refused command is set (§4.3)
            assertEquals("b NO [METADATA MAXSIZE 1024] SETMETADATA failed: value too large",
                    imap.tagged("b", "SETMETADATA INBOX (/private/small \"v\" /private/long \"" + "x".repeat(1025) + "\")"));
            assertEquals(List.of("* METADATA \"INBOX\" (/private/big NIL /private/small NIL)"),
                    imap.expectOk("GETMETADATA INBOX (/private/big /private/small)").untagged());
            // exactly the limit is taken
            imap.expectOk("SETMETADATA INBOX (/private/long \"" + "x".repeat(1024) + "\")");
        }
    }

    @Test
    void binaryValuesGoAsLiteral8() throws IOException {
        try (var imap = login("u4")) {
            imap.write("a SETMETADATA INBOX (/private/bin ~{5+}\r\na\u0000b\r\n)\r\n");
            assertEquals("a OK SETMETADATA complete", imap.readLine());
            imap.write("b GETMETADATA INBOX /private/bin\r\n");
            assertEquals("* METADATA \"INBOX\" (/private/bin ~{5}", imap.readLine());
            assertEquals("a\u0000b", imap.readLine());
            assertEquals(")", imap.readLine());
            assertEquals("b OK GETMETADATA complete", imap.readLine());
        }
    }

    @Test
    void tenThousandEntriesInOneCommand() throws IOException {
        try (var imap = login("u5")) {
            // literals end lines, so only the entry count bounds such a command
            var command = new StringBuilder("a SETMETADATA INBOX (");
            for (int i = 0; i < 10_001; i++) {
                command.append(i == 0 ? "" : " ").append("/private/e").append(i).append(" {1+}\r\nv");
            }
            imap.write(command.append(")\r\n").toString());
            assertEquals("a NO [METADATA TOOMANY] SETMETADATA failed", imap.readLine());
            imap.write(command.toString().replace(" /private/e10000 {1+}\r\nv", "").replace("a SETMETADATA", "b SETMETADATA"));
            assertEquals("b OK SETMETADATA complete", imap.readLine());
            var all = imap.expectOk("GETMETADATA INBOX (DEPTH infinity) /private").untagged();
            assertEquals(1, all.size());
            assertTrue(all.getFirst().startsWith("* METADATA \"INBOX\" (/private/e0 \"v\" /private/e1 \"v\""));
            assertTrue(all.getFirst().endsWith(" /private/e9999 \"v\")"));
            // one more is too many; asking for more names than entries may exist is bad
            assertEquals("c NO [METADATA TOOMANY] SETMETADATA failed", imap.tagged("c", "SETMETADATA INBOX (/private/x \"v\")"));
            var names = new StringBuilder();
            for (int i = 0; i <= 10_000; i++) {
                names.append(i == 0 ? "" : " ").append("{10+}\r\n/private/").append(i % 10);
            }
            imap.write("d GETMETADATA INBOX (" + names + ")\r\n");
            assertEquals("d BAD Too many entries (at most 10000)", imap.readLine());
            imap.expectOk("NOOP");
        }
    }

    @Test
    void badOptionsAndMissingMailboxes() throws IOException {
        try (var imap = login("u6")) {
            for (var command : List.of("GETMETADATA (DEPTH 2) INBOX /private/x", "GETMETADATA (MAXSIZE 1 MAXSIZE 2) INBOX /private/x",
                    "GETMETADATA (DEPTH 1 DEPTH 1) INBOX /private/x", "GETMETADATA (SIZE 1) INBOX /private/x",
                    "GETMETADATA (MAXSIZE -1) INBOX /private/x", "GETMETADATA INBOX", "GETMETADATA INBOX ()",
                    "SETMETADATA INBOX ()", "SETMETADATA INBOX (/private/x)", "SETMETADATA INBOX /private/x \"v\"",
                    "SETMETADATA INBOX (/private/x \"v\"")) {
                assertTrue(imap.run(command).tagged().matches("\\S+ BAD .*"), command);
            }
            assertEquals("a NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("a", "GETMETADATA nosuch /private/x"));
            assertEquals("a NO [NONEXISTENT] Mailbox does not exist.", imap.tagged("a", "SETMETADATA nosuch (/private/x NIL)"));
            assertEquals("a NO [PERMISSIONDENIED] SETMETADATA failed: shared server entries are read-only",
                    imap.tagged("a", "SETMETADATA \"\" (/shared/comment \"mine\")"));
            // before login the commands do not exist
            try (var anonymous = server.connect()) {
                assertTrue(anonymous.tagged("a", "GETMETADATA \"\" /shared/comment").startsWith("a BAD "));
            }
        }
    }
}
