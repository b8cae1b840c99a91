package org.roost.imap.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Where special uses live: given by CREATE, they survive a restart and follow RENAME in both stores; the
 * configured mailboxes are made (and subscribed) at login as {@code auto} says.
 */
class SpecialUseStorageTest {
    @TempDir
    Path dir;

    private static RawImapClient alice(TestServer server) throws Exception {
        var c = server.connect();
        c.expectOk("LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
        return c;
    }

    private static List<String> list(RawImapClient c, String command) throws Exception {
        var r = c.run(command);
        assertTrue(r.ok(), r.toString());
        return r.untagged();
    }

    @Test
    void mboxKeepsUsesBesideItsFilesAndListsNoMailboxForThem() throws Exception {
        var server = TestServer.shared("mbox");
        var user = server.newUser();
        try (var c = server.login(user)) {
            c.expectOk("CREATE Sent-Mail (USE (\\Sent))");
            c.expectOk("CREATE a/b (USE (\\Junk))");
            c.expectOk("RENAME a/b c/b");
            assertEquals(List.of("* LIST (\\Sent) \"/\" Sent-Mail", "* LIST (\\Junk) \"/\" c/b"),
                    list(c, "LIST (SPECIAL-USE) \"\" \"*\""));
            assertTrue(Files.exists(server.maildir(user).resolve(".roost-special-use")));
            assertTrue(list(c, "LIST \"\" \"*\"").stream().noneMatch(line -> line.contains("roost")));
        }
    }

    @Test
    void usesSurviveARestart() throws Exception {
        try (var server = TestServer.start(dir); var c = alice(server)) {
            c.expectOk("CREATE Old-Mail (USE (\\Archive))");
        }
        try (var server = TestServer.start(dir); var c = alice(server)) {
            assertEquals(List.of("* LIST (\\Archive) \".\" Old-Mail"), list(c, "LIST (SPECIAL-USE) \"\" \"*\""));
        }
    }

    @Test
    void configuredMailboxesAreMadeAtLoginAsAutoSays() throws Exception {
        var yaml = Files.writeString(dir.resolve("roost.yaml"), """
                mailboxes:
                  special:
                    - {name: Drafts, use: \\Drafts, auto: create}
                    - {name: "Sent Items", use: \\Sent, auto: subscribe}
                    - {name: Junk, use: \\Junk, auto: no}
                """);
        var config = new ConfigLoader().load(yaml, TestServer.baseEnvironment(dir));
        try (var server = TestServer.start(config); var c = alice(server)) {
            assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX", "* LIST (\\Drafts \\HasNoChildren) \".\" Drafts",
                    "* LIST (\\Sent \\HasNoChildren) \".\" \"Sent Items\""), list(c, "LIST \"\" *"));
            assertEquals(List.of("* LSUB () \".\" \"Sent Items\""), list(c, "LSUB \"\" *"));
            c.expectOk("DELETE Drafts");
            c.expectOk("CREATE Junk");
            assertEquals(List.of("* LIST (\\Junk) \".\" Junk", "* LIST (\\Sent) \".\" \"Sent Items\""),
                    list(c, "LIST (SPECIAL-USE) \"\" *"));
            try (var again = alice(server)) {
                assertEquals(List.of("* LIST (\\Drafts) \".\" Drafts", "* LIST (\\Junk) \".\" Junk",
                        "* LIST (\\Sent) \".\" \"Sent Items\""), list(again, "LIST (SPECIAL-USE) \"\" *"),
                        "a login makes Drafts again, as Dovecot's auto = create does");
            }
        }
    }
}
