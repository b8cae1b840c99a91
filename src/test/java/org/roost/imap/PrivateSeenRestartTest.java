package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Private {@code \Seen} on the public namespace (#19 item 3) outlives a restart of the server, is kept in the user's
 * own mail ({@code roost-private/}), and goes with the messages another user expunges.
 */
@Timeout(60)
class PrivateSeenRestartTest {
    @TempDir
    Path dir;

    private TestServer start(Path publicMail) throws IOException {
        return TestServer.start(dir.resolve("roost"), Map.of("ROOST_NAMESPACES_PUBLICMAILDIR", publicMail.toString()));
    }

    private static RawImapClient login(TestServer server, String user, String password) throws IOException {
        var client = server.connect();
        client.expectOk("LOGIN " + user + " \"" + password + "\"");
        return client;
    }

    private static String fetchFlags(RawImapClient client) throws IOException {
        client.expectOk("EXAMINE Public.News");
        return String.join("|", client.expectOk("FETCH 1:* (FLAGS)").untagged());
    }

    @Test
    void theUsersSeenOutlivesARestartAndLeavesWithTheExpungedMessages() throws IOException {
        var publicMail = dir.resolve("public");
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(publicMail.resolve(".News").resolve(sub));
        }
        Files.writeString(publicMail.resolve(".News/cur/1000.M1P1.host:2,"), "Subject: one\r\n\r\nbody\r\n");
        Files.writeString(publicMail.resolve(".News/cur/1001.M2P1.host:2,"), "Subject: two\r\n\r\nbody\r\n");
        Files.writeString(publicMail.resolve(".News/dovecot-acl"), "anyone lrswite\n");
        try (var server = start(publicMail); var alice = login(server, TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            alice.expectOk("SELECT Public.News");
            alice.expectOk("STORE 1:2 +FLAGS.SILENT (\\Seen)");
        }
        Path privateFile;
        try (var server = start(publicMail);
                var alice = login(server, TestServer.ALICE, TestServer.ALICE_PASSWORD);
                var bob = login(server, TestServer.BOB, TestServer.BOB_PASSWORD)) {
            assertEquals("* 1 FETCH (FLAGS (\\Seen))|* 2 FETCH (FLAGS (\\Seen))", fetchFlags(alice));
            assertEquals("* 1 FETCH (FLAGS ())|* 2 FETCH (FLAGS ())", fetchFlags(bob));
            try (var files = Stream.of(server.maildir(TestServer.ALICE).resolve("roost-private"))
                    .flatMap(PrivateSeenRestartTest::list)) {
                privateFile = files.filter(f -> f.toString().endsWith(".pvt")).findFirst().orElseThrow();
            }
            assertEquals(32L * 3, Files.size(privateFile), "a header and two records");
            bob.expectOk("SELECT Public.News");
            bob.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
            bob.expectOk("EXPUNGE");
        }
        try (var server = start(publicMail); var alice = login(server, TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals("* 1 FETCH (FLAGS (\\Seen))", fetchFlags(alice));
            assertEquals(32L * 2, Files.size(privateFile), "written again without the expunged message");
        }
    }

    private static Stream<Path> list(Path directory) {
        try {
            return Files.list(directory);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
