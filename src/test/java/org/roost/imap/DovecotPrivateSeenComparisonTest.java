package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.Dovecot;
import org.roost.testing.ImapScript;
import org.roost.testing.TestServer;

/**
 * Private {@code \Seen} side by side with Debian's Dovecot (acl plugin, a public namespace with {@code INDEXPVT}), over
 * copies of one public Maildir whose files carry {@code \Seen} and {@code \Flagged}: two users' FETCH FLAGS, STATUS
 * UNSEEN, SELECT's UNSEEN and SEARCH UNSEEN answer the same. Both show a user who never looked every message unseen,
 * whatever {@code \Seen} the files have; both share {@code \Flagged}.
 */
class DovecotPrivateSeenComparisonTest {
    @TempDir
    Path dir;

    private static final List<List<String>> SESSIONS = List.of(
            List.of("alice", "a SELECT Public.News", "b FETCH 1:* (FLAGS)", "c STORE 3 +FLAGS.SILENT (\\Seen)",
                    "d STORE 2 -FLAGS.SILENT (\\Flagged)", "e FETCH 1:* (FLAGS)", "f UNSELECT",
                    "g STATUS Public.News (MESSAGES UNSEEN)"),
            List.of("bob", "a STATUS Public.News (MESSAGES UNSEEN)", "b SELECT Public.News", "c FETCH 1:* (FLAGS)",
                    "d STORE 1 +FLAGS.SILENT (\\Seen \\Answered)", "e SEARCH UNSEEN", "f UNSELECT"),
            List.of("alice", "a STATUS Public.News (MESSAGES UNSEEN)", "b EXAMINE Public.News", "c FETCH 1:* (FLAGS)",
                    "d SEARCH UNSEEN"));

    private static void publicMaildir(Path root) throws IOException {
        var news = root.resolve(".News");
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(news.resolve(sub));
        }
        Files.writeString(news.resolve("cur/1000.M1P1.host:2,S"), "Subject: one\r\n\r\nbody\r\n");
        Files.writeString(news.resolve("cur/1001.M2P1.host:2,F"), "Subject: two\r\n\r\nbody\r\n");
        Files.writeString(news.resolve("cur/1002.M3P1.host:2,"), "Subject: three\r\n\r\nbody\r\n");
        Files.writeString(news.resolve("dovecot-acl"), "anyone lrswi\n");
    }

    @Test
    void fetchStatusAndSearchAnswerAsDovecotsDo() throws Exception {
        var dovecotMail = Files.createDirectories(dir.resolve("dovecot-mail"));
        var dovecotPublic = dir.resolve("dovecot-public");
        publicMaildir(dovecotPublic);
        for (var user : List.of("alice", "bob")) {
            for (var sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(dovecotMail.resolve(user).resolve(sub));
            }
        }
        var work = Files.createDirectories(dir.resolve("dovecot"));
        var dovecot = Dovecot.over(dir, "maildir:" + dovecotMail + "/%u", work, """
                mail_plugins = acl
                protocol imap {
                  mail_plugins = $mail_plugins imap_acl
                }
                namespace inbox {
                  inbox = yes
                  separator = .
                  prefix =
                }
                namespace public {
                  type = public
                  separator = .
                  prefix = Public.
                  location = maildir:%s:INDEXPVT=%s/%%u
                  subscriptions = no
                  list = children
                }
                plugin {
                  acl = vfile
                }
                """.formatted(dovecotPublic, dir.resolve("dovecot-private")));
        var roostPublic = dir.resolve("roost-public");
        publicMaildir(roostPublic);
        var roostHome = Files.createDirectories(dir.resolve("roost"));
        var expected = new ArrayList<String>();
        var actual = new ArrayList<String>();
        try (var roost = TestServer.start(roostHome, Map.of("ROOST_NAMESPACES_PUBLICMAILDIR", roostPublic.toString()))) {
            for (var session : SESSIONS) {
                var user = session.getFirst();
                var commands = new ArrayList<Object>(session.subList(1, session.size()));
                commands.add("z LOGOUT");
                expected.add(user + ": " + relevant(dovecot.loggedInAs(user).session(commands)));
                var login = new ArrayList<Object>();
                login.add("l LOGIN " + user + " \"" + (user.equals("alice") ? TestServer.ALICE_PASSWORD
                        : TestServer.BOB_PASSWORD) + "\"");
                login.addAll(commands);
                actual.add(user + ": " + relevant(ImapScript.run(roost.imapPort(), login)));
            }
        }
        assertEquals(expected, actual);
        assertTrue(actual.get(1).contains("* STATUS Public.News (MESSAGES 3 UNSEEN 3)"), actual.get(1));
    }

    /**
     * The answers about flags and counts, {@code \Recent} taken out (who claims it differs with the order the two
     * servers' sessions ran in), sorted: Dovecot runs a pipelined STATUS beside a FETCH, so their order varies.
     */
    private static List<String> relevant(String transcript) {
        var lines = new ArrayList<String>();
        for (var line : transcript.split("\r\n")) {
            if (line.matches("\\* (\\d+ FETCH|STATUS|SEARCH|OK \\[UNSEEN).*")) {
                lines.add(line.replace(" \\Recent", "").replace("\\Recent", ""));
            }
        }
        lines.sort(null);
        return lines;
    }
}
