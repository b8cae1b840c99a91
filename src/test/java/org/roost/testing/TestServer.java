package org.roost.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.roost.auth.password.Passwords;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.config.RoostConfig;
import org.roost.server.RoostServer;
import org.roost.storage.MailLocation;

/**
 * An in-process Roost on ephemeral loopback ports with its state in a temporary directory.
 * Settings are given the way an operator would: as {@code ROOST_*} environment overrides on top
 * of the embedded defaults, so the tests exercise the real {@link ConfigLoader} too.
 *
 * <p>The passwd-file holds two users: {@value #ALICE} (password {@value #ALICE_PASSWORD}, stored
 * {@code {PLAIN}}) and {@value #BOB} (password {@value #BOB_PASSWORD}, stored {@code {SHA512-CRYPT}}),
 * unless the test wrote its own {@code passwd} into the directory first. The {@link #shared()}
 * server has many more, handed out one per test by {@link #newUser()}.
 */
public final class TestServer implements AutoCloseable {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "wonder land";
    public static final String BOB = "bob";
    public static final String BOB_PASSWORD = "builder";
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The password of the users {@link #newUser()} hands out. */
    public static final String PASSWORD = "secret";
    private static final int FRESH_USERS = 400;
    private static final AtomicInteger DELIVERIES = new AtomicInteger();
    private static final Map<String, TestServer> SHARED = new HashMap<>();

    private final RoostServer server;
    private final RoostConfig config;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final AtomicInteger nextUser = new AtomicInteger();

    private TestServer(RoostConfig config) throws IOException {
        this.config = config;
        this.server = new RoostServer(config);
        server.start(new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    /** Environment overrides for a server on port 0 everywhere, with the test users and a short drain. */
    public static Map<String, String> baseEnvironment(Path dir) throws IOException {
        var passwd = Files.createDirectories(dir).resolve("passwd");
        if (!Files.exists(passwd)) {
            Files.writeString(passwd, ALICE + ":" + Passwords.hash("PLAIN", ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8))
                    + "::::::\n" + BOB + ":" + Passwords.hash("SHA512-CRYPT", BOB_PASSWORD.getBytes(StandardCharsets.UTF_8))
                    + "::::::\n");
        }
        var env = new HashMap<String, String>();
        env.put("ROOST_DATA", dir.resolve("data").toString());
        env.put("ROOST_AUTH_PASSWDFILE", passwd.toString());
        env.put("ROOST_LISTENERS_IMAP_PORT", "0");
        env.put("ROOST_LISTENERS_IMAPS_PORT", "0");
        env.put("ROOST_LISTENERS_POP3_PORT", "0");
        env.put("ROOST_LISTENERS_POP3S_PORT", "0");
        env.put("ROOST_LISTENERS_LMTP_PORT", "0");
        env.put("ROOST_LISTENERS_MANAGESIEVE_PORT", "0");
        env.put("ROOST_ADMIN_PORT", "0");
        env.put("ROOST_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("ROOST_LIMITS_SHUTDOWNDRAIN", "5s");
        // Failed-login penalties stay on but in milliseconds, so tests of wrong passwords do not wait seconds.
        env.put("ROOST_AUTH_PENALTY_INITIALDELAY", "5ms");
        env.put("ROOST_AUTH_PENALTY_MAXDELAY", "50ms");
        return env;
    }

    /** Loads the config from the base environment plus {@code overrides} (which win). */
    public static RoostConfig config(Path dir, Map<String, String> overrides) throws IOException {
        var env = baseEnvironment(dir);
        env.putAll(overrides);
        try {
            return new ConfigLoader().load(null, env);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("test config rejected: " + e.getMessage(), e);
        }
    }

    public static TestServer start(Path dir) throws IOException {
        return start(dir, Map.of());
    }

    public static TestServer start(Path dir, Map<String, String> overrides) throws IOException {
        return start(config(dir, overrides));
    }

    public static TestServer start(RoostConfig config) throws IOException {
        return new TestServer(config);
    }

    /** The shared Maildir server: see {@link #shared(String)}. */
    public static TestServer shared() throws IOException {
        return shared("maildir");
    }

    /**
     * One server per storage driver ({@code maildir}, {@code mbox}, {@code postgres}) for every protocol test class in
     * this JVM (started on first use, stopped at exit), without fsync; each test takes a user of its
     * own from {@link #newUser()}, so tests never see each other's mail.
     */
    public static synchronized TestServer shared(String storage) throws IOException {
        var server = SHARED.get(storage);
        if (server == null) {
            var dir = Files.createTempDirectory("roost-shared-");
            var passwd = new StringBuilder();
            for (int i = 0; i < FRESH_USERS; i++) {
                passwd.append("user").append(i).append(":{PLAIN}").append(PASSWORD).append("::::::\n");
            }
            Files.writeString(dir.resolve("passwd"), passwd, StandardCharsets.UTF_8);
            var env = new HashMap<String, String>(storage.equals("postgres") ? MailDatabaseServers.shared().environment()
                    : Map.of("ROOST_MAIL_LOCATION", storage + ":" + dir.toAbsolutePath().resolve("mail") + "/%u"));
            env.put("ROOST_MAIL_FSYNC", "false");
            var started = start(dir, env);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteQuietly(dir);
            }));
            SHARED.put(storage, started);
            server = started;
        }
        return server;
    }

    /**
     * A user nobody else in this server's tests uses (password {@value #PASSWORD}); a Maildir user's
     * INBOX exists at once, an mbox user's when the user logs in.
     */
    public String newUser() throws IOException {
        var user = "user" + nextUser.getAndIncrement();
        if (MailLocation.parse(config.mail().location()).format().equals("maildir")) {
            for (var sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(maildir(user).resolve(sub));
            }
        }
        return user;
    }

    public RoostServer server() {
        return server;
    }

    public RoostConfig config() {
        return config;
    }

    public int imapPort() {
        return server.port("imap");
    }

    public int imapsPort() {
        return server.port("imaps");
    }

    public int pop3Port() {
        return server.port("pop3");
    }

    public int pop3sPort() {
        return server.port("pop3s");
    }

    /** The LMTP port (the listener must be enabled: {@code ROOST_LISTENERS_LMTP_ENABLED=true}). */
    public int lmtpPort() {
        return server.port("lmtp");
    }

    /** The ManageSieve port (the listener must be enabled: {@code ROOST_LISTENERS_MANAGESIEVE_ENABLED=true}). */
    public int manageSievePort() {
        return server.port("managesieve");
    }

    public int adminPort() {
        return server.adminPort();
    }

    /** The self-signed certificate the server generated on its first start. */
    public Path certificate() {
        return config.data().resolve("tls").resolve("cert.pem");
    }

    /** What the server printed on its console (first-start notices). */
    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** The root of {@code user}'s Maildir (or the directory of the user's mbox files). */
    public Path maildir(String user) {
        return MailLocation.parse(config.mail().location()).root(user);
    }

    /** Drops a message into {@code user}'s {@code new/} as an MTA would; the server sees it on its next look. */
    public void deliver(String user, String message) throws IOException {
        deliver(user, message.getBytes(StandardCharsets.UTF_8));
    }

    public void deliver(String user, byte[] message) throws IOException {
        int n = DELIVERIES.incrementAndGet();
        var name = (1_700_000_000 + n) + ".M" + n + "P1.roosttest";
        var tmp = maildir(user).resolve("tmp").resolve(name);
        Files.createDirectories(tmp.getParent());
        Files.createDirectories(maildir(user).resolve("new"));
        Files.write(tmp, message);
        Files.move(tmp, maildir(user).resolve("new").resolve(name));
    }

    /** How many message files {@code user}'s INBOX holds on disk. */
    public long filesOnDisk(String user) throws IOException {
        long n = 0;
        for (var sub : new String[] {"cur", "new"}) {
            try (Stream<Path> files = Files.list(maildir(user).resolve(sub))) {
                n += files.count();
            }
        }
        return n;
    }

    /** One LMTP transaction from {@code s@x.y}: the replies after the data, one per recipient. */
    public List<String> lmtp(String message, String... recipients) throws IOException {
        var commands = new StringBuilder("LHLO test\r\nMAIL FROM:<s@x.y>\r\n");
        for (var recipient : recipients) {
            commands.append("RCPT TO:<").append(recipient).append(">\r\n");
        }
        commands.append("DATA\r\n").append(message).append("\r\n.\r\nQUIT\r\n");
        try (var socket = new Socket("127.0.0.1", lmtpPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(commands.toString().getBytes(StandardCharsets.UTF_8));
            var lines = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int data = lines.indexOf(lines.stream().filter(l -> l.startsWith("354 ")).findFirst().orElseThrow());
            return lines.subList(data + 1, data + 1 + recipients.length);
        }
    }

    /** A raw client on the plaintext IMAP port of 127.0.0.1, greeting not yet read. */
    public RawImapClient imap() throws IOException {
        return RawImapClient.connect("127.0.0.1", imapPort());
    }

    /** A raw client on the IMAPS port of 127.0.0.1 (handshake done), greeting not yet read. */
    public RawImapClient imaps() throws IOException {
        return RawImapClient.connectTls("127.0.0.1", imapsPort());
    }

    /** A raw client on the plaintext IMAP port, greeting read. */
    public RawImapClient connect() throws IOException {
        var client = imap();
        client.greeting();
        return client;
    }

    /** A connection already logged in as {@code user} (one of {@link #newUser()}'s). */
    public RawImapClient login(String user) throws IOException {
        var client = connect();
        client.expectOk("LOGIN " + user + " " + PASSWORD);
        return client;
    }

    @Override
    public void close() {
        server.shutdown();
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files only
        }
    }
}
