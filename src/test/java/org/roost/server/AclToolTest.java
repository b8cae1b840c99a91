package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** {@code roost acl get|set|delete|my|rights}, beside a running server whose sessions see its changes at once. */
@Timeout(60)
class AclToolTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run acl(Path config, String... words) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var args = new ArrayList<>(List.of("acl", "--config", config.toString()));
        args.addAll(List.of(words));
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The running server's data, mail and users, as an operator's roost.yaml names them. */
    private Path configOf(TestServer server) throws IOException {
        return Files.writeString(dir.resolve("roost.yaml"), "data: " + server.config().data() + "\nmail: {location: \""
                + server.config().mail().location() + "\", fsync: false}\nauth: {passwdFile: " + dir.resolve("passwd")
                + "}\n");
    }

    @Test
    void changesReachAnOpenSessionAtItsNextCommand() throws Exception {
        try (var server = TestServer.start(dir); var imap = server.connect()) {
            var config = configOf(server);
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Team");
            var set = acl(config, "set", "alice", "Team", "user=bob", "lrs");
            assertEquals(new Run(0, "user=bob lrs\n", ""), set);
            assertEquals(new Run(0, "user=bob lrs\n-user=bob s\n", ""),
                    acl(config, "set", "alice", "Team", "-user=bob", "s"), "ID and RIGHTS may start with -");
            assertEquals(new Run(0, "lr\n", ""), acl(config, "rights", "alice", "Team", "bob"));
            assertEquals(List.of("* ACL Team bob lrs -bob s alice lrwstipekxacd", "g OK Getacl completed."),
                    imap.command("g", "GETACL Team"), "the session reads the file the tool wrote");
            assertEquals(new Run(0, "owner lr\nuser=bob lrs\n-user=bob s\n", ""),
                    acl(config, "set", "alice", "Team", "owner", "lr"));
            assertEquals(new Run(0, "lr\n", ""), acl(config, "my", "alice", "Team"));
            assertEquals("* MYRIGHTS Team lr", imap.command("m", "MYRIGHTS Team").getFirst());
            assertEquals("t NO [NOPERM] Permission denied.", imap.tagged("t", "DELETE Team"));
            assertEquals(new Run(0, "user=bob lrs\n-user=bob s\n", ""), acl(config, "delete", "alice", "Team", "owner"));
            assertEquals(new Run(0, "lrwstipekxa\n", ""), acl(config, "my", "alice", "Team"));
            assertEquals(new Run(0, "user=bob lrs\n-user=bob s\n", ""), acl(config, "get", "alice", "Team"));
        }
    }

    @Test
    void wrongInputGetsDoveadmsExitCodesAndWritesNothing() throws Exception {
        try (var server = TestServer.start(dir); var imap = server.connect()) {
            var config = configOf(server);
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Team");
            assertEquals(67, acl(config, "get", "carol", "INBOX").code());
            assertEquals(67, acl(config, "rights", "alice", "INBOX", "carol").code());
            assertEquals(68, acl(config, "get", "alice", "Nowhere").code());
            var dotted = acl(config, "get", "alice", "../bob");
            assertEquals(2, dotted.code());
            assertTrue(dotted.err().startsWith("roost acl: invalid mailbox name"), dotted.err());
            var letters = acl(config, "set", "alice", "Team", "user=bob", "lrq");
            assertEquals(new Run(2, "", "roost acl: The q right is not supported\n"), letters);
            assertEquals(2, acl(config, "set", "alice", "Team", "bob", "lr").code(), "IDs as dovecot-acl writes them");
            assertEquals(2, acl(config, "set", "alice", "Team", "user=bob\nanyone", "lr").code());
            assertEquals(2, acl(config, "set", "alice", "Team", "user=bob").code(), "usage");
            assertEquals(2, acl(config, "frobnicate", "alice", "Team").code(), "usage");
            assertFalse(Files.exists(server.maildir("alice").resolve(".Team/dovecot-acl")));
            assertEquals(new Run(0, "", ""), acl(config, "get", "alice", "Team"));
        }
    }

    /** The grantee's LIST shows what the tool shared at once, as after a SETACL (the server reads the record again). */
    @Test
    void whatTheToolSharesIsListedByTheGrantee() throws Exception {
        try (var server = TestServer.start(dir); var alice = server.connect(); var bob = server.connect()) {
            var config = configOf(server);
            alice.expectOk("LOGIN alice \"wonder land\"");
            alice.expectOk("CREATE Team");
            bob.expectOk("LOGIN bob builder");
            assertEquals(List.of("l OK LIST completed."), bob.command("l", "LIST \"\" Shared.*"));
            assertEquals(0, acl(config, "set", "alice", "Team", "user=bob", "lr").code());
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Shared.alice",
                    "* LIST (\\HasNoChildren) \".\" Shared.alice.Team", "l OK LIST completed."),
                    bob.command("l", "LIST \"\" Shared.*"));
            alice.expectOk("SETACL INBOX bob lr"); // the server writes the record: what the tool wrote stays
            assertEquals(0, acl(config, "delete", "alice", "Team", "user=bob").code());
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Shared.alice",
                    "* LIST (\\HasNoChildren) \".\" Shared.alice.INBOX", "l OK LIST completed."),
                    bob.command("l", "LIST \"\" Shared.*"));
        }
    }
}
