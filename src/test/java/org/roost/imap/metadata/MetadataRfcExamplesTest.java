package org.roost.imap.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * Every example of RFC 5464 §4, byte for byte: the client's lines as the RFC writes them (without the line
 * breaks added "to promote readability", §2), the server's answers as the RFC shows them. Where an example
 * needs state (a comment of 2199 octets, a mailbox at its limit), it is set up first.
 */
@Timeout(60)
class MetadataRfcExamplesTest extends MetadataServerTestBase {

    @BeforeParameterizedClassInvocation
    void startServer(String storage, @TempDir Path dir) throws IOException {
        start(dir, Map.of("ROOST_METADATA_SERVERCOMMENT", "Shared comment",
                "ROOST_METADATA_MAXENTRIES", "10"));
    }

    @Test
    void getMetadataExamples() throws IOException {
        try (var imap = login("u1")) {
            imap.expectOk("SETMETADATA INBOX (/private/comment \"My own comment\")");
            // §4.2
            assertEquals(List.of("* METADATA \"\" (/shared/comment \"Shared comment\")", "a OK GETMETADATA complete"),
                    imap.command("a", "GETMETADATA \"\" /shared/comment"));
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment \"My own comment\")",
                    "a OK GETMETADATA complete"), imap.command("a", "GETMETADATA \"INBOX\" /private/comment"));
            imap.expectOk("SETMETADATA INBOX (/shared/comment \"Shared comment\")");
            assertEquals(List.of("* METADATA \"INBOX\" (/shared/comment \"Shared comment\" /private/comment \"My own comment\")",
                    "a OK GETMETADATA complete"),
                    imap.command("a", "GETMETADATA \"INBOX\" (/shared/comment /private/comment)"));
            // §4.2.1: a shared comment of 2199 octets is left out
            imap.expectOk("SETMETADATA INBOX (/shared/comment \"" + "x".repeat(2199) + "\")");
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment \"My own comment\")",
                    "a OK [METADATA LONGENTRIES 2199] GETMETADATA complete"),
                    imap.command("a", "GETMETADATA \"INBOX\" (MAXSIZE 1024) (/shared/comment /private/comment)"));
            // §4.2.2
            imap.expectOk("SETMETADATA INBOX (/private/filters/values/small \"SMALLER 5000\""
                    + " /private/filters/values/boss \"FROM \\\"boss@example.com\\\"\""
                    + " /private/filters/values/boss/deeper \"not at depth 1\")");
            assertEquals(List.of("* METADATA \"INBOX\" (/private/filters/values/small \"SMALLER 5000\""
                            + " /private/filters/values/boss \"FROM \\\"boss@example.com\\\"\")",
                    "a OK GETMETADATA complete"),
                    imap.command("a", "GETMETADATA \"INBOX\" (DEPTH 1) (/private/filters/values)"));
        }
    }

    @Test
    void setMetadataExamples() throws IOException {
        try (var imap = login("u2")) {
            // §4.3: a multi-line value in a synchronizing literal
            imap.write("a SETMETADATA INBOX (/private/comment {33}\r\n");
            assertEquals("+ ", imap.readLine().substring(0, 2));
            imap.write("My new comment across\r\ntwo lines.)\r\n");
            assertEquals("a OK SETMETADATA complete", imap.readLine());
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment {33}", "My new comment across",
                    "two lines.)", "b OK GETMETADATA complete"), imap.command("b", "GETMETADATA INBOX /private/comment"));
            assertEquals(List.of("a OK SETMETADATA complete"), imap.command("a", "SETMETADATA INBOX (/private/comment NIL)"));
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment NIL)", "b OK GETMETADATA complete"),
                    imap.command("b", "GETMETADATA INBOX /private/comment"));
            assertEquals(List.of("a OK SETMETADATA complete"), imap.command("a",
                    "SETMETADATA INBOX (/private/comment \"My new comment\" /shared/comment \"This one is for you!\")"));
            // §4.4.1, the entries named without parentheses as the RFC's example sends them
            imap.expectOk("SETMETADATA INBOX (/private/comment \"My comment\" /shared/comment \"Its sunny outside!\")");
            assertEquals(List.of("* METADATA \"INBOX\" (/private/comment \"My comment\" /shared/comment \"Its sunny outside!\")",
                    "a OK GETMETADATA complete"), imap.command("a", "GETMETADATA \"INBOX\" /private/comment /shared/comment"));
        }
    }

    @Test
    void tooManyEntries() throws IOException {
        try (var imap = login("u3")) {
            var ten = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                ten.append(i == 0 ? "" : " ").append("/private/e").append(i).append(" \"v\"");
            }
            imap.expectOk("SETMETADATA INBOX (" + ten + ")");
            // §4.3
            assertEquals(List.of("a NO [METADATA TOOMANY] SETMETADATA failed"),
                    imap.command("a", "SETMETADATA INBOX (/private/comment \"My new comment\")"));
            // replacing and removing still work at the limit
            imap.expectOk("SETMETADATA INBOX (/private/e1 \"w\" /private/e2 NIL)");
            imap.expectOk("SETMETADATA INBOX (/private/comment \"My new comment\")");
        }
    }

    @Test
    void unsolicitedChangesThroughNotify() throws IOException {
        try (var watcher = login("u1"); var other = login("u1")) {
            watcher.expectOk("NOTIFY SET (PERSONAL (MailboxMetadataChange ServerMetadataChange))");
            other.expectOk("SETMETADATA INBOX (/shared/comment \"Its sunny outside!\" /private/comment \"x\")");
            other.expectOk("SETMETADATA \"\" (/private/comment \"y\")");
            // RFC 5465 §5.6 and §5.7, the forms of RFC 5464 §4.4.2
            assertEquals("* METADATA \"INBOX\" /shared/comment /private/comment", watcher.readLine());
            assertEquals("* METADATA \"\" /private/comment", watcher.readLine());
            // own changes are not told (RFC 5465 §5)
            watcher.expectOk("SETMETADATA INBOX (/private/comment \"z\")");
            assertEquals(List.of("a OK NOOP completed."), watcher.command("a", "NOOP"));
        }
    }
}
