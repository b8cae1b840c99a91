package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.NotTerm;
import jakarta.mail.search.OrTerm;
import jakarta.mail.search.RecipientStringTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.GeneratedMail;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/**
 * Users search through Angus Mail and imaplib: mail appended by a client and dropped into the Maildir by
 * another program is indexed in the background, and every search answers what the same server answers
 * with the index off, over the same Maildir.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FullTextClientsTest {
    private static final List<String> IMAPLIB_SEARCHES = List.of("BODY \"quarterly\"", "TEXT \"nvoic\"",
            "SUBJECT \"PORT\"", "FROM \"alice\"", "OR BODY \"lunch\" TO \"dave\"", "NOT BODY \"e\"",
            "BODY \"no such words\"", "HEADER X-Note \"budget\"");
    @TempDir
    Path dir;

    @Test
    void searchesAnswerAsWithoutTheIndex() throws Exception {
        List<String> indexed;
        List<String> imaplibIndexed;
        try (var server = TestServer.start(dir)) {
            fill(server);
            awaitIndexed(server, 180);
            assertEquals(202, AdminClient.call(server, "POST", "/admin/users/" + TestServer.ALICE + "/fts/rebuild")
                    .statusCode());
            awaitIndexed(server, 360);
            indexed = angusSearches(server);
            imaplibIndexed = imaplibSearches(server);
            assertTrue(hasFiles(server.config().data().resolve("fts").resolve(TestServer.ALICE)));
        }
        try (var server = TestServer.start(dir, Map.of("ROOST_FTS_ENABLED", "false"))) {
            assertEquals(409, AdminClient.call(server, "POST", "/admin/users/" + TestServer.ALICE + "/fts/rebuild")
                    .statusCode());
            assertEquals(angusSearches(server), indexed);
            assertEquals(imaplibSearches(server), imaplibIndexed);
        }
        assertTrue(indexed.stream().anyMatch(r -> r.matches(".*: \\d+( \\d+){3,}")), "searches find messages: " + indexed);
    }

    /** 150 messages appended by Angus Mail, 30 dropped into new/ as an MTA does. */
    private static void fill(TestServer server) throws Exception {
        var mail = new GeneratedMail(new Random(7));
        var session = session(server);
        try (var store = session.getStore("imap")) {
            store.connect(TestServer.ALICE, TestServer.ALICE_PASSWORD);
            var inbox = store.getFolder("INBOX");
            var messages = new ArrayList<Message>();
            for (int i = 0; i < 150; i++) {
                messages.add(new MimeMessage(session, new ByteArrayInputStream(mail.message(i))));
            }
            inbox.appendMessages(messages.toArray(Message[]::new));
        }
        for (int i = 150; i < 180; i++) {
            server.deliver(TestServer.ALICE, mail.message(i));
        }
    }

    private static void awaitIndexed(TestServer server, int messages) throws Exception {
        // the first search notices the dropped files, and the indexer catches up
        imaplibSearches(server);
        for (int tries = 0; tries < 600; tries++) {
            var metrics = AdminClient.metrics(server);
            if (counter(metrics, "roost_fts_indexed_messages_total") >= messages
                    && counter(metrics, "roost_fts_queue_depth") == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not indexed: " + AdminClient.metrics(server));
    }

    private static double counter(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElse(-1);
    }

    private static List<String> angusSearches(TestServer server) throws Exception {
        List<SearchTerm> terms = List.of(new BodyTerm("quarterly"), new BodyTerm("Köln"), new SubjectTerm("RÉSUMÉ"),
                new FromStringTerm("zoë"), new RecipientStringTerm(Message.RecipientType.TO, "mail.example.com"),
                new OrTerm(new BodyTerm("deadline"), new SubjectTerm("nvoic")),
                new AndTerm(new BodyTerm("ship"), new NotTerm(new BodyTerm("server"))),
                new RecipientStringTerm(Message.RecipientType.CC, "jörg"), new BodyTerm("日本"));
        var out = new ArrayList<String>();
        try (var store = session(server).getStore("imap")) {
            store.connect(TestServer.ALICE, TestServer.ALICE_PASSWORD);
            var inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (int i = 0; i < terms.size(); i++) {
                var found = inbox.search(terms.get(i));
                out.add(i + ": " + String.join(" ", Arrays.stream(found).map(m -> "" + m.getMessageNumber()).toList()));
            }
            inbox.close(false);
        }
        return out;
    }

    private static List<String> imaplibSearches(TestServer server) throws Exception {
        var args = new ArrayList<>(List.of("127.0.0.1", "" + server.imapPort(), TestServer.ALICE,
                TestServer.ALICE_PASSWORD));
        args.addAll(IMAPLIB_SEARCHES);
        try (var script = PythonScript.start("imaplib_search.py", args.toArray(String[]::new))) {
            assertEquals(0, script.exitCode(), script.lines().toString());
            return script.lines();
        }
    }

    private static Session session(TestServer server) {
        var props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", Integer.toString(server.imapPort()));
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "30000");
        return Session.getInstance(props);
    }

    private static boolean hasFiles(Path path) throws Exception {
        try (Stream<Path> files = Files.list(path)) {
            return files.findAny().isPresent();
        }
    }
}
