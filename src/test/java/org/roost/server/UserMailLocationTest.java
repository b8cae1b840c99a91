package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.Logins;
import org.roost.testing.TestServer;

/**
 * Users of a passwd-file whose {@code userdb_mail} and home put their mail elsewhere than {@code mail.location},
 * through real clients (Angus Mail, imaplib, poplib); hostile locations keep their user out with
 * {@code NO [UNAVAILABLE]} and a log line, and never touch the place they name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserMailLocationTest {
    private static final String UNAVAILABLE = "NO b'[UNAVAILABLE] Your mail is not available now, try again later.'";
    private final Logger logger = Logger.getLogger(StorageDrivers.class.getName());
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    Path dir;
    TestServer roost;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
        var vmail = Files.createDirectories(dir.resolve("vmail"));
        var homes = Files.createDirectories(dir.resolve("homes"));
        var data = dir.resolve("data");
        Files.writeString(Files.createDirectories(dir).resolve("passwd"), String.join("\n",
                "alice:{PLAIN}pw::::::",
                "mara:{PLAIN}pw::::" + homes.resolve("mara") + "::userdb_mail=maildir:~/Maildir",
                "hank:{PLAIN}pw::::" + homes.resolve("hank") + "::userdb_mail=maildir:%h/mail",
                "nils@example.org:{PLAIN}pw::::::userdb_mail=maildir:" + vmail + "/%d/%n",
                "one:{PLAIN}pw::::::userdb_mail=maildir:" + vmail + "/shared",
                "two:{PLAIN}pw::::::userdb_mail=maildir:" + vmail + "//shared/",
                "outside:{PLAIN}pw::::::userdb_mail=maildir:" + data.resolve("state"),
                "dots:{PLAIN}pw::::::userdb_mail=maildir:" + vmail + "/../data/x",
                "relative:{PLAIN}pw::::::userdb_mail=maildir:Maildir",
                "homeless:{PLAIN}pw::::::userdb_mail=maildir:~/Maildir",
                "roothome:{PLAIN}pw::::/::userdb_mail=maildir:~/Maildir",
                "theroot:{PLAIN}pw::::::userdb_mail=maildir:" + vmail,
                "options:{PLAIN}pw::::::userdb_mail=maildir:" + vmail + "/o:INDEX=" + data,
                "mbox:{PLAIN}pw::::::userdb_mail=mbox:" + vmail + "/mbox",
                "") + "\n");
        logger.addHandler(capture);
        roost = TestServer.start(dir, Map.of("ROOST_MAIL_ALLOWEDROOTS", vmail + "," + homes,
                "ROOST_DATA", data.toString(), "ROOST_LISTENERS_POP3_ENABLED", "true"));
    }

    @AfterAll
    void stop() {
        logger.removeHandler(capture);
        if (roost != null) {
            roost.close();
        }
    }

    @Test
    void theMailFieldAndTheHomeDecideWhereMailGoes() throws Exception {
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "mara", "pw"));
        assertEquals(1, messages(dir.resolve("homes/mara/Maildir")), "~ is her home");
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "hank", "pw"));
        assertEquals(1, messages(dir.resolve("homes/hank/mail")), "%h is his home");
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "nils@example.org", "pw"));
        assertEquals(1, messages(dir.resolve("vmail/example.org/nils")), "%d/%n in his own field");
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "alice", "pw"));
        assertEquals(1, messages(roost.maildir("alice")), "no field: mail.location");
        assertFalse(Files.exists(roost.maildir("mara")), "nothing at mail.location for mara");
        assertEquals("OK", Logins.python("pop3", roost.pop3Port(), "mara", "pw"), "POP3 opens the same maildrop");
    }

    @Test
    void theMailFieldMayNameMboxWhereTheConfiguredLocationIsAMaildir() throws Exception {
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "mbox", "pw"));
        var inbox = Files.readString(dir.resolve("vmail/mbox/inbox"));
        assertTrue(inbox.startsWith("From ") && inbox.contains("X-UID: 1"), inbox);
        assertEquals("OK", Logins.python("pop3", roost.pop3Port(), "mbox", "pw"), "POP3 opens the same mbox");
    }

    @Test
    void twoNamesForOneDirectoryShareItsIndex() throws Exception {
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "one", "pw"));
        assertEquals("OK 2", Logins.angusAppend(roost.imapPort(), "two", "pw"), "the same mailbox, seen at once");
        assertEquals(2, messages(dir.resolve("vmail/shared")));
    }

    /** RFC 1939 §8: the lock is on the maildrop, so a second name for the same one finds it in use. */
    @Test
    void twoNamesForOneMaildropShareItsPop3Lock() throws Exception {
        try (var first = pop3Login("one")) {
            assertTrue(first.reply.startsWith("+OK"), first.reply);
            try (var second = pop3Login("two")) {
                assertTrue(second.reply.startsWith("-ERR [IN-USE]"), second.reply);
            }
        }
        try (var after = pop3Login("two")) {
            assertTrue(after.reply.startsWith("+OK"), "released at QUIT: " + after.reply);
        }
    }

    /** A POP3 session after USER and PASS, with the answer to PASS; closing it sends QUIT. */
    private Pop3Login pop3Login(String user) throws IOException {
        var socket = new Socket("127.0.0.1", roost.pop3Port());
        socket.setSoTimeout(20_000);
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        var out = socket.getOutputStream();
        in.readLine();
        out.write(("USER " + user + "\r\nPASS pw\r\n").getBytes(StandardCharsets.US_ASCII));
        in.readLine();
        return new Pop3Login(socket, in, in.readLine());
    }

    private record Pop3Login(Socket socket, BufferedReader in, String reply) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            in.readLine();
            socket.close();
        }
    }

    @Test
    void hostileLocationsKeepTheirUserOutWithALogLine() throws Exception {
        for (var user : List.of("outside", "dots", "relative", "homeless", "roothome", "theroot", "options")) {
            assertEquals(UNAVAILABLE, Logins.python("login", roost.imapPort(), user, "pw"), user);
            assertTrue(log.stream().anyMatch(l -> l.startsWith("user " + user + ": mail location refused: ")),
                    user + " " + log);
            assertEquals("NO b'-ERR [SYS/TEMP] Unable to open the mailbox.'",
                    Logins.python("pop3", roost.pop3Port(), user, "pw"), user);
        }
        assertFalse(Files.exists(dir.resolve("data/state/cur")), "Roost's own state was not made a Maildir");
        assertFalse(Files.exists(dir.resolve("vmail/cur")), "nor the root itself");
        assertFalse(Files.exists(dir.resolve("data/x")));
        assertEquals("OK OK", Logins.python("login", roost.imapPort(), "alice", "pw"), "the server serves on");
        var admin = AdminClient.call(roost, "GET", "/admin/users/outside/mailboxes");
        assertEquals(503, admin.statusCode(), admin.body());
    }

    /** Messages in a Maildir's INBOX on disk. */
    private static long messages(Path maildir) throws IOException {
        long n = 0;
        for (var sub : List.of("cur", "new")) {
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                n += files.count();
            }
        }
        return n;
    }
}
