package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * The other users' namespace (RFC 2342 §4, Dovecot's {@code shared/%u}) through a socket: what an owner shares by
 * SETACL is listed, selected and changed by the other user within the rights given, and nothing else of the
 * owner's is seen or told apart from what does not exist (RFC 4314 §6).
 */
@Timeout(60)
class SharedNamespaceTest extends SharingUsers {
    private static final String MESSAGE = "Subject: shared\r\n\r\nbody\r\n";

    SharedNamespaceTest() throws IOException {
        super(MESSAGE);
    }

    @Test
    void namespaceNamesTheOtherUsersNamespace() throws IOException {
        try (var client = server.login(other)) {
            assertEquals(List.of("* NAMESPACE ((\"\" \".\")) ((\"Shared.\" \".\")) NIL", "t OK NAMESPACE completed."),
                    client.command("t", "NAMESPACE"));
        }
    }

    @Test
    void nothingIsSeenUntilTheOwnerSharesIt() throws IOException {
        try (var client = server.login(other)) {
            assertEquals(List.of("t OK LIST completed."), client.command("t", "LIST \"\" Shared*"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "SELECT " + shared("INBOX")));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.",
                    client.tagged("t", "STATUS " + shared("INBOX") + " (MESSAGES)"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "MYRIGHTS " + shared("INBOX")));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.",
                    client.tagged("t", "SELECT " + shared("Nothing")));
        }
    }

    @Test
    void whatTheOwnerSharesIsListedSelectedAndReadWithinTheRights() throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Private");
            owning.expectOk("SETACL INBOX " + other + " lr");
        }
        try (var client = server.login(other)) {
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Shared",
                    "* LIST (\\Noselect \\HasChildren) \".\" Shared." + owner,
                    "* LIST (\\HasNoChildren) \".\" " + shared("INBOX"), "t OK LIST completed."),
                    client.command("t", "LIST \"\" Shared*"));
            assertEquals(List.of("* MYRIGHTS " + shared("INBOX") + " lr", "t OK Myrights completed."),
                    client.command("t", "MYRIGHTS " + shared("INBOX")));
            assertEquals(List.of("* STATUS " + shared("INBOX") + " (MESSAGES 1 UNSEEN 1)", "t OK STATUS completed."),
                    client.command("t", "STATUS " + shared("INBOX") + " (MESSAGES UNSEEN)"));
            var select = client.command("t", "SELECT " + shared("INBOX"));
            assertTrue(select.contains("* 1 EXISTS"), select.toString());
            assertEquals("t OK [READ-ONLY] SELECT completed.", select.getLast());
            var fetched = client.command("t", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertTrue(fetched.getFirst().startsWith("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {"), fetched.toString());
            assertEquals("t NO [READ-ONLY] Mailbox is read-only.", client.tagged("t", "EXPUNGE"));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "SELECT " + shared("Private")));
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "DELETE " + shared("Private")));
            assertEquals("t NO [NOPERM] Permission denied.", client.tagged("t", "DELETE " + shared("INBOX")));
        }
    }

    @Test
    void insertWriteAndExpungeRightsActOnTheOwnersMailbox() throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Team");
            owning.expectOk("SETACL Team " + other + " lrswite");
        }
        try (var client = server.login(other)) {
            client.expectOk("APPEND " + shared("Team") + " {" + MESSAGE.length() + "+}\r\n" + MESSAGE);
            assertEquals("t OK [READ-WRITE] SELECT completed.",
                    client.command("t", "SELECT " + shared("Team")).getLast());
            client.expectOk("STORE 1 +FLAGS (\\Deleted)");
            client.expectOk("EXPUNGE");
            assertEquals("t NO [NOPERM] Permission denied.", client.tagged("t", "CREATE " + shared("Team.Sub")));
        }
        try (var owning = server.login(owner)) {
            assertEquals(List.of("* STATUS Team (MESSAGES 0)", "t OK STATUS completed."),
                    owning.command("t", "STATUS Team (MESSAGES)"));
        }
    }

    @Test
    void hostileNamesLeadNowhereAndMakeNothing() throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("SETACL INBOX " + other + " lrk");
        }
        try (var client = server.login(other)) {
            for (var name : List.of("Shared", "Shared.", "Shared..x", "Shared.%", "Shared.*", "Shared.." + owner,
                    "Shared.\\2e\\2e.INBOX", "Shared.\\2f.INBOX", "Shared.\\zz.INBOX", "Shared.\\2", "Shared.nobody.INBOX",
                    "Shared." + other + ".INBOX", "Shared." + owner)) {
                var quoted = "\"" + name.replace("\\", "\\\\") + "\"";
                assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "SELECT " + quoted), name);
                assertTrue(client.tagged("t", "CREATE " + quoted).startsWith("t NO"), name);
            }
            assertEquals("t NO [CANNOT] That name is the other users' namespace, no mailbox of its own.",
                    client.tagged("t", "CREATE Shared"));
            assertEquals(List.of("t OK LIST completed."), client.command("t", "LIST \"\" Shared.%.%.%"));
            assertEquals(List.of("t OK LIST completed."), client.command("t", "LIST \"\" Shared.nobody*"));
        }
        assertFalse(Files.exists(server.maildir("nobody")));
        assertFalse(Files.exists(server.maildir(owner).resolve(".Shared")));
    }

    @Test
    void renameCannotMoveAMailboxToAnotherUser() throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Team");
            owning.expectOk("SETACL Team " + other + " lrxk");
        }
        try (var client = server.login(other)) {
            client.expectOk("CREATE Mine");
            assertEquals("t NO [CANNOT] A mailbox cannot move to another user's mailboxes.",
                    client.tagged("t", "RENAME Mine " + shared("Team.Mine")));
            assertEquals("t NO [CANNOT] A mailbox cannot move to another user's mailboxes.",
                    client.tagged("t", "RENAME " + shared("Team") + " Mine2"));
            client.expectOk("CREATE " + shared("Team.Sub"));
            client.expectOk("RENAME " + shared("Team.Sub") + " " + shared("Team.Sub2"));
        }
        assertTrue(Files.isDirectory(server.maildir(owner).resolve(".Team.Sub2")));
    }

    @Test
    void theAclCommandsWorkOnSharedNamesWithTheAdministerRight() throws IOException {
        var third = server.newUser();
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Team");
            owning.expectOk("SETACL Team " + other + " lra");
        }
        try (var client = server.login(other)) {
            client.expectOk("SETACL " + shared("Team") + " " + third + " lr");
            var acl = client.command("t", "GETACL " + shared("Team")).getFirst(); // entries by name: user10 < user9
            assertTrue(acl.startsWith("* ACL " + shared("Team") + " ") && acl.contains(" " + other + " alr")
                    && acl.contains(" " + third + " lr") && acl.endsWith(" " + owner + " lrwstipekxacd"), acl);
            assertEquals("t NO [NONEXISTENT] Mailbox does not exist.", client.tagged("t", "GETACL " + shared("INBOX")));
        }
        assertTrue(Files.readString(server.maildir(owner).resolve(".Team/dovecot-acl")).contains("user=" + third + " lr"));
        try (var client = server.login(third)) {
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Shared",
                    "* LIST (\\Noselect \\HasChildren) \".\" Shared." + owner,
                    "* LIST (\\HasNoChildren) \".\" " + shared("Team"), "t OK LIST completed."),
                    client.command("t", "LIST \"\" Shared*"));
        }
        try (var owning = server.login(owner)) {
            owning.expectOk("DELETEACL Team " + third);
        }
        try (var client = server.login(third)) {
            assertEquals(List.of("t OK LIST completed."), client.command("t", "LIST \"\" Shared*"));
        }
    }

    @Test
    void anAclSetThroughTheAdminApiIsListedForTheGrantee() throws Exception {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Admin");
        }
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/users/"
                        + owner + "/acl?mailbox=Admin"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"id\": \"user=" + other + "\", \"rights\": \"lr\"}")).build();
        assertEquals(200, HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        try (var client = server.login(other)) {
            assertTrue(client.command("t", "LIST \"\" Shared*").contains("* LIST (\\HasNoChildren) \".\" "
                    + shared("Admin")));
        }
    }

    @Test
    void sharedNamesAreSubscribedInTheUsersOwnSubscriptions() throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("SETACL INBOX " + other + " lr");
        }
        try (var client = server.login(other)) {
            client.expectOk("SUBSCRIBE " + shared("INBOX"));
            assertEquals(List.of("* LSUB () \".\" " + shared("INBOX"), "t OK LSUB completed."),
                    client.command("t", "LSUB \"\" Shared*"));
            assertEquals(List.of("* LIST (\\Subscribed) \".\" " + shared("INBOX"), "t OK LIST completed."),
                    client.command("t", "LIST (SUBSCRIBED) \"\" Shared*"));
        }
        try (var owning = server.login(owner)) {
            assertEquals(List.of("t OK LSUB completed."), owning.command("t", "LSUB \"\" *"));
        }
    }

    @Test
    @Timeout(120)
    void tenThousandSharedFoldersAreListed() throws IOException {
        var root = server.maildir(owner);
        for (int i = 0; i < 10_000; i++) {
            var folder = Files.createDirectories(root.resolve(".f" + i).resolve("cur")).getParent();
            Files.createDirectories(folder.resolve("new"));
            Files.createDirectories(folder.resolve("tmp"));
            Files.writeString(folder.resolve("dovecot-acl"), i % 10 == 0 ? "user=" + other + " r\n"
                    : "user=" + other + " lr\n");
        }
        try (var owning = server.login(owner)) {
            owning.expectOk("SETACL INBOX " + other + " l"); // records what the owner shares, as a login does
        }
        try (var client = server.login(other)) {
            var listed = client.command("t", "LIST \"\" Shared*");
            assertEquals(2 + 9_000 + 1 + 1, listed.size(), "the nodes, the folders with l, INBOX and the OK");
            assertEquals(9_001, client.command("t", "LIST \"\" Shared.%.%").size() - 1);
        }
        try (var owning = server.login(owner)) { // the shared server's exit stays quick
            for (int i = 0; i < 10_000; i++) {
                owning.expectOk("DELETE f" + i);
            }
        }
    }

    @Test
    void aclFilesWrittenByAnotherProgramAreListedAfterTheOwnersLogin() throws Exception {
        var folder = Files.createDirectories(server.maildir(owner).resolve(".FromDovecot"));
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(folder.resolve(sub));
        }
        Files.writeString(folder.resolve("dovecot-acl"), "owner lrwstipekxa\nuser=" + other + " lr\n");
        try (var client = server.login(other)) {
            assertEquals(List.of("t OK LIST completed."), client.command("t", "LIST \"\" Shared*"));
            assertTrue(client.command("t", "SELECT " + shared("FromDovecot")).getLast().startsWith("t OK"),
                    "a name is reached before it is listed");
            server.login(owner).close(); // what the owner shares is recorded aside after the login
            var wanted = "* LIST (\\HasNoChildren) \".\" " + shared("FromDovecot");
            for (int tries = 0; tries < 200 && !client.command("t", "LIST \"\" Shared*").contains(wanted); tries++) {
                Thread.sleep(50);
            }
            assertTrue(client.command("t", "LIST \"\" Shared*").contains(wanted));
        }
    }

    @Test
    void copyAndMoveBetweenTheUsersOwnAndSharedMailboxesNeedTheirRights() throws IOException {
        try (var owning = server.login(owner)) {
            owning.expectOk("CREATE Team");
            owning.expectOk("SETACL Team " + other + " lrwi");
            owning.expectOk("SETACL INBOX " + other + " lrwiet");
        }
        try (var client = server.login(other)) {
            client.expectOk("CREATE Mine");
            client.expectOk("SELECT " + shared("INBOX"));
            client.expectOk("COPY 1 Mine");
            client.expectOk("MOVE 1 " + shared("Team"));
            assertEquals(List.of("* STATUS " + shared("Team") + " (MESSAGES 1)", "t OK STATUS completed."),
                    client.command("t", "STATUS " + shared("Team") + " (MESSAGES)"));
            client.expectOk("SELECT " + shared("Team"));
            assertEquals("t NO [NOPERM] Permission denied.", client.tagged("t", "MOVE 1 Mine"));
            client.expectOk("SELECT Mine");
            client.expectOk("COPY 1 " + shared("Team"));
        }
        try (var owning = server.login(owner)) {
            assertEquals(List.of("* STATUS Team (MESSAGES 2)", "t OK STATUS completed."),
                    owning.command("t", "STATUS Team (MESSAGES)"));
            assertEquals(List.of("* STATUS INBOX (MESSAGES 0)", "t OK STATUS completed."),
                    owning.command("t", "STATUS INBOX (MESSAGES)"));
        }
    }
}
