package org.roost.testing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Logins as real clients make them: Angus Mail, and Python's imaplib/poplib ({@code userdb_login.py}). */
public final class Logins {
    private Logins() {}

    /**
     * An Angus Mail IMAP login on the plaintext port (loopback is a secure network): "OK", or the server's
     * answer to the failed login.
     */
    public static String angus(int port, String user, String password) {
        var p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", "30000");
        p.setProperty("mail.imap.timeout", "30000");
        try (var store = Session.getInstance(p).getStore("imap")) {
            store.connect("127.0.0.1", port, user, password);
            return "OK";
        } catch (MessagingException e) {
            return e.getMessage();
        }
    }

    /**
     * An Angus Mail IMAP login that appends one message to INBOX: "OK n" with the INBOX's count afterwards, or the
     * server's answer to the failed login.
     */
    public static String angusAppend(int port, String user, String password) {
        var p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", "30000");
        p.setProperty("mail.imap.timeout", "30000");
        var session = Session.getInstance(p);
        try (var store = session.getStore("imap")) {
            store.connect("127.0.0.1", port, user, password);
            var inbox = store.getFolder("INBOX"); // closed: APPEND and STATUS need no SELECT
            var message = new MimeMessage(session);
            message.setSubject("for " + user);
            message.setText("hello\r\n");
            inbox.appendMessages(new Message[] {message});
            return "OK " + inbox.getMessageCount();
        } catch (MessagingException e) {
            return e.getMessage();
        }
    }

    /** The tagged answer to a raw {@code LOGIN "user" "password"} on the plaintext IMAP port, without its tag. */
    public static String raw(TestServer server, String user, String password) throws IOException {
        try (var client = server.imap()) {
            client.greeting();
            var answer = client.tagged("a", "LOGIN \"" + user + "\" \"" + password + "\"");
            return answer.substring(2);
        }
    }

    /** One line from {@code userdb_login.py}: {@code OK ...} or {@code NO <the server's answer>}. */
    public static String python(String mode, int port, String user, String secret)
            throws IOException, InterruptedException {
        var script = Path.of("src/test/resources/userdb_login.py").toAbsolutePath().toString();
        var process = new ProcessBuilder("python3", script, mode, "127.0.0.1", Integer.toString(port), user, secret)
                .redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 did not finish");
        }
        return output;
    }
}
