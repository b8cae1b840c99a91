package org.roost.imap.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * SEARCH FROM/TO/CC/BCC match "the envelope structure's" field (RFC 3501 §6.4.4), so an address
 * written with comments inside it is found by its plain form, as imaptest's "search-addresses"
 * script expects; the header text keeps matching as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchAddressTest {
    TestServer server;
    RawImapClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        client = server.imap();
        client.greeting();
        assertTrue(client.tagged("a", "LOGIN alice \"wonder land\"").startsWith("a OK"));
        append("From: <user-from (comment)@ (comment) domain.org>\r\nTo: RealTo <user-to@domain.org>\r\n\r\nbody\r\n");
        append("From: other@domain.org\r\nTo: group: g1@d1.org, g2@d2.org;\r\n\r\nbody\r\n");
        assertTrue(client.tagged("s", "SELECT INBOX").startsWith("s OK"));
    }

    private void append(String message) throws IOException {
        assertTrue(client.command("p", "APPEND INBOX {" + message.length() + "+}\r\n" + message)
                .getLast().startsWith("p OK"));
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private String search(String criteria) throws IOException {
        var lines = client.command("f", "SEARCH " + criteria);
        assertEquals("f OK SEARCH completed.", lines.getLast());
        return lines.stream().filter(l -> l.startsWith("* SEARCH")).findFirst().orElse("none");
    }

    @Test
    void addressWithCommentsInsideIsFoundByItsPlainForm() throws IOException {
        assertEquals("* SEARCH 1", search("FROM user-from@domain.org"));
    }

    @Test
    void headerTextStillMatches() throws IOException {
        assertEquals("* SEARCH 1", search("FROM \"(comment)\""));
        assertEquals("* SEARCH 1", search("TO realto"));
    }

    @Test
    void groupMembersAndNamesAreFound() throws IOException {
        assertEquals("* SEARCH 2", search("TO g2@d2.org"));
        assertEquals("* SEARCH 2", search("TO group"));
    }
}
