package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * The public namespace (RFC 2342 §5's shared one, #19): one configured Maildir that nobody owns, whose mailboxes
 * each user sees, reads and changes with the rights its {@code dovecot-acl} files give them, as Dovecot's public
 * namespace with the acl plugin.
 */
@Timeout(60)
class PublicNamespaceTest {
    private static final String MESSAGE = "Subject: news\r\n\r\nbody\r\n";
    @TempDir
    static Path dir;
    private static TestServer server;
    private static Path publicMail;

    @BeforeAll
    static void start() throws IOException {
        publicMail = dir.resolve("public");
        for (var folder : List.of(".News", ".Staff")) {
            for (var sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(publicMail.resolve(folder).resolve(sub));
            }
        }
        Files.writeString(publicMail.resolve(".News/dovecot-acl"), "anyone lrswi\n");
        Files.writeString(publicMail.resolve(".Staff/dovecot-acl"), "user=alice lr\n");
        server = TestServer.start(dir, Map.of("ROOST_NAMESPACES_PUBLICMAILDIR", publicMail.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawImapClient alice() throws IOException {
        var client = server.connect();
        client.expectOk("LOGIN alice \"" + TestServer.ALICE_PASSWORD + "\"");
        return client;
    }

    private static RawImapClient bob() throws IOException {
        var client = server.connect();
        client.expectOk("LOGIN bob " + TestServer.BOB_PASSWORD);
        return client;
    }

    @Test
    void namespaceListsAllThree() throws IOException {
        try (var client = alice()) {
            assertEquals("* NAMESPACE ((\"\" \".\")) ((\"Shared.\" \".\")) ((\"Public.\" \".\"))",
                    client.command("t", "NAMESPACE").getFirst());
        }
    }

    @Test
    void eachUserListsThePublicMailboxesTheirRightsShow() throws IOException {
        try (var client = alice()) {
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Public",
                    "* LIST (\\HasNoChildren) \".\" Public.News", "* LIST (\\HasNoChildren) \".\" Public.Staff",
                    "t OK LIST completed."), client.command("t", "LIST \"\" Public*"));
        }
        try (var client = bob()) {
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Public",
                    "* LIST (\\HasNoChildren) \".\" Public.News", "t OK LIST completed."),
                    client.command("t", "LIST \"\" Public*"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "SELECT Public.Staff"));
        }
    }

    @Test
    void oneUsersAppendReachesAnotherUsersIdleAndStaysInThePublicMaildir() throws IOException {
        try (var reader = bob(); var writer = alice()) {
            reader.expectOk("CREATE Mine");
            var selected = reader.command("t", "SELECT Public.News");
            assertEquals("t OK [READ-WRITE] SELECT completed.", selected.getLast());
            reader.send("i IDLE");
            assertEquals("+ idling", reader.readLine());
            writer.append("Public.News", MESSAGE);
            assertTrue(reader.readLine().endsWith(" EXISTS"));
            reader.readLine(); // RECENT
            reader.send("DONE");
            assertEquals("i OK IDLE terminated.", reader.readLine());
            reader.expectOk("COPY 1 Mine");
            assertEquals("t NO [NOPERM] Permission denied.", reader.tagged("t", "EXPUNGE"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", reader.tagged("t", "CREATE Public.Top"));
            assertEquals("t NO [NOPERM] Permission denied.", reader.tagged("t", "CREATE Public.News.Sub"));
        }
        try (var files = Files.list(publicMail.resolve(".News/new"))) {
            assertTrue(files.findAny().isPresent() || Files.list(publicMail.resolve(".News/cur")).findAny().isPresent());
        }
    }

    @Test
    void hostileNamesLeadNowhere() throws IOException {
        try (var client = alice()) {
            for (var name : List.of("Public", "Public.", "Public..News", "Public.%", "Public.*", "Public.Nothing",
                    "Public.News.", "Public.News..x")) {
                var answer = client.tagged("t", "SELECT \"" + name + "\"");
                assertTrue(answer.equals("t NO [NONEXISTENT] Mailbox does not exist.")
                        || answer.equals("t NO [CANNOT] Invalid mailbox name."), name + ": " + answer);
                assertTrue(client.tagged("t", "CREATE \"" + name + "\"").startsWith("t NO"), name);
            }
            assertEquals("t NO [CANNOT] That name is the other users' namespace, no mailbox of its own.",
                    client.tagged("t", "CREATE Public"));
        }
        assertTrue(Files.notExists(server.maildir("alice").resolve(".Public")));
    }
}
