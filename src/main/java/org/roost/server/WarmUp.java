package org.roost.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.roost.auth.Authenticator;
import org.roost.auth.PasswdFile;
import org.roost.config.Cidr;
import org.roost.config.RoostConfig;
import org.roost.imap.ImapContext;
import org.roost.imap.ImapSession;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.IndexWarmUp;
import org.roost.metrics.RoostMetrics;
import org.roost.net.Connection;
import org.roost.net.SessionRegistry;
import org.roost.session.SessionServices;
import org.roost.storage.MailLocation;

/**
 * Before the listeners open, runs two IMAP sessions over loopback against a throwaway Maildir in
 * a temporary directory: the commands a mail client sends first (SELECT, FETCH of flags and
 * envelopes, SEARCH), the second session opening the mailbox from its index files as after a
 * restart; then it reads back index files of a few thousand made-up messages ({@link IndexWarmUp}). The JVM
 * then has loaded, linked and initialised the classes of those paths and compiled the reading of an index's
 * records, which would otherwise cost the first client after a restart more than the work it asked for (12 of
 * the 20 ms of a first SELECT of a million-message mailbox with a cold page cache; 60 ms of CPU for a FETCH of
 * 50 envelopes of a 100,000-message mailbox). Nothing of
 * the server's own state is touched: its own context, metrics registry, users and files, all
 * deleted afterwards. It runs on its own thread while the rest of the server starts, and the
 * mail listeners open once it is done. Its routine log lines (the logins of its user) are not the
 * server's: its two threads are marked, and the console leaves out their lines below WARNING. A
 * failure is logged and otherwise ignored.
 */
final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    private static final String USER = "roost-warm-up";
    /** Set on the warm-up's own threads only: not inherited, so no pool thread it happens to start is marked. */
    private static final ThreadLocal<Boolean> RUNNING = new ThreadLocal<>();
    private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    private static final String MESSAGE = """
            From: Warm Up <warm@example.org>\r
            To: "Someone" <someone@example.org>\r
            Subject: =?UTF-8?Q?warm_=C3=BCp?=\r
            Date: Sun, 29 Nov 2026 02:00:00 +0000\r
            Message-ID: <warm@example.org>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            body\r
            --b\r
            Content-Type: application/octet-stream; name="a.bin"\r
            Content-Transfer-Encoding: base64\r
            \r
            AAEC\r
            --b--\r
            """;

    private WarmUp() {}

    /** True on a thread doing warm-up work, whose routine log lines are not the server's. */
    static boolean onThisThread() {
        return RUNNING.get() != null;
    }

    /** Starts the warm-up on a thread of its own; the returned task waits for its end. */
    static Runnable inBackground(RoostConfig config) {
        var thread = Thread.ofPlatform().name("roost-warm-up").start(() -> run(config, TEMP));
        return () -> {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * Returns whether both sessions ran through (a failure is only logged: it costs speed, not
     * service); its files live in a new directory under {@code temp}, deleted afterwards.
     */
    static boolean run(RoostConfig config, Path temp) {
        long started = System.nanoTime();
        try {
            runSessions(config, temp);
            LOG.log(System.Logger.Level.DEBUG, "warmed up the IMAP paths in {0} ms", (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "warm-up skipped: {0}", e.toString());
            return false;
        }
    }

    private static void runSessions(RoostConfig config, Path temp) throws IOException {
        Path dir = null;
        RUNNING.set(Boolean.TRUE);
        try {
            dir = Files.createTempDirectory(temp, "roost-warm-up");
            var password = HexFormat.of().formatHex(randomBytes(12));
            var passwd = Files.writeString(dir.resolve("passwd"), USER + ":{PLAIN}" + password + "::::::\n");
            var authenticator = new Authenticator(new PasswdFile(passwd));
            // The configured storage format, so that its code is warm too (mbox or Maildir), in the throwaway directory;
            // a database's store is shared with other replicas, so its warm-up runs on a Maildir instead.
            var configured = MailLocation.parse(config.mail().location()).format();
            var format = configured.equals("postgres") ? "maildir" : configured;
            var mail = new RoostConfig.Mail(format + ":" + dir.resolve("mail") + "/%u", false, List.of(), config.mail().mbox(),
                    config.mail().postgres(), config.mail().s3());
            session(config, dir, authenticator, mail, password, true);
            session(config, dir, authenticator, mail, password, false); // a fresh cache: opened from the index files
            IndexWarmUp.readRecords(dir.resolve("index")); // a large mailbox's records, which two messages cannot train
        } finally {
            RUNNING.remove();
            deleteQuietly(dir);
        }
    }

    /** For a throwaway password: the generator's bytes, not seed material that may wait for entropy. */
    private static byte[] randomBytes(int count) {
        var bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void session(RoostConfig config, Path dir, Authenticator authenticator, RoostConfig.Mail mail,
                                String password, boolean fill) throws IOException {
        var metrics = new RoostMetrics();
        var cache = new IndexCache(StorageDrivers.forLocation(mail),
                new IndexOptions(true, false, 1 << 20));
        var services = new SessionServices(config.limits(), List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")),
                () -> null, authenticator, List.of(), metrics, new SessionRegistry(), cache, "localhost");
        var context = ImapContext.create(services, config.imap(), dir);
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var serving = Thread.ofVirtual().name("warm-up-session").start(() -> serve(server, context, metrics));
            try (var client = new Socket()) {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5_000);
                client.setSoTimeout(30_000);
                converse(client, password, fill);
            }
            serving.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("warm-up interrupted");
        }
    }

    private static void serve(ServerSocket server, ImapContext context, RoostMetrics metrics) {
        RUNNING.set(Boolean.TRUE);
        try (var socket = server.accept(); var connection = new Connection(socket, metrics.traffic("imap"))) {
            ImapSession.handler(context, "imap").serve(connection);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "warm-up session: {0}", e.getMessage());
        }
    }

    private static void converse(Socket client, String password, boolean fill) throws IOException {
        var in = new BufferedInputStream(client.getInputStream());
        var out = client.getOutputStream();
        readLine(in); // greeting
        command(in, out, "a LOGIN " + USER + " " + password);
        if (fill) {
            for (var flags : List.of("(\\Seen $Work)", "()")) {
                var bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
                command(in, out, "b APPEND INBOX " + flags + " {" + bytes.length + "+}\r\n" + MESSAGE);
            }
        }
        // ENVELOPE alone first (read from the header alone, as a client's message list asks it), then the whole structure
        for (var line : List.of("c SELECT INBOX", "d UID FETCH 1:* (UID FLAGS)", "d2 FETCH 1:* (ENVELOPE)",
                "e FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])",
                "f UID SEARCH UNSEEN", "g SEARCH SINCE 1-Jan-2020 FROM \"warm\" SUBJECT \"up\"",
                "h UID STORE 2 +FLAGS (\\Flagged)", "i FETCH 1 (BODY.PEEK[1] BODY.PEEK[TEXT])", "j LOGOUT")) {
            command(in, out, line);
        }
    }

    /** Sends a command and reads up to its tagged answer, which must be OK. */
    private static void command(InputStream in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        var tag = line.substring(0, line.indexOf(' ') + 1);
        String response;
        do {
            response = readLine(in);
        } while (!response.startsWith(tag));
        if (!response.startsWith(tag + "OK ")) {
            throw new IOException("warm-up: " + line.substring(0, Math.min(line.length(), 40)) + " answered " + response);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("warm-up session closed early");
            }
            line.append((char) c);
        }
        return line.toString();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "warm-up files left in {0}: {1}", dir, e.getMessage());
        }
    }
}
