package org.roost.imap.rfc3501;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.roost.config.ConfigLoader;
import org.roost.server.RoostServer;

/**
 * An in-process Roost on loopback ports for protocol tests, one per storage driver ({@code maildir},
 * {@code mbox}) shared by every test class; every test takes a fresh user (an empty mail store) from
 * {@link #newUser()}, so tests never see each other's mail.
 */
public final class TestServer implements AutoCloseable {
    static final String PASSWORD = "secret";
    private static final int USERS = 400;
    private final Path data;
    private final RoostServer server;
    private final String storage;
    private final AtomicInteger nextUser = new AtomicInteger();

    private TestServer(Path data, RoostServer server, String storage) {
        this.data = data;
        this.server = server;
        this.storage = storage;
    }

    private static final Map<String, TestServer> SHARED = new HashMap<>();

    /** One Maildir server for every protocol test class in this JVM (started on first use, stopped at exit). */
    public static TestServer shared() throws Exception {
        return shared("maildir");
    }

    /** One server per storage driver for every protocol test class in this JVM. */
    public static synchronized TestServer shared(String storage) throws Exception {
        var shared = SHARED.get(storage);
        if (shared == null) {
            shared = start(storage);
            SHARED.put(storage, shared);
            var server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // temp files only
                }
            }));
        }
        return shared;
    }

    public static TestServer start() throws Exception {
        return start("maildir");
    }

    /** {@code storage}: {@code maildir} or {@code mbox}. */
    public static TestServer start(String storage) throws Exception {
        var data = Files.createTempDirectory("roost-rfc3501-");
        var passwd = new StringBuilder();
        for (int i = 0; i < USERS; i++) {
            passwd.append("user").append(i).append(":{PLAIN}").append(PASSWORD).append("::::::\n");
        }
        Files.writeString(data.resolve("passwd"), passwd, StandardCharsets.UTF_8);
        var yaml = data.resolve("roost.yaml");
        Files.writeString(yaml, """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: 0}
                  imaps: {address: 127.0.0.1, port: 0}
                  pop3: {address: 127.0.0.1, port: 0, enabled: false}
                  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
                  lmtp: {address: 127.0.0.1, port: 0, enabled: false}
                admin: {enabled: false}
                auth: {passwdFile: %s}
                mail: {location: "%s:%s/mail/%%u", fsync: false}
                """.formatted(data, data.resolve("passwd"), storage, data), StandardCharsets.UTF_8);
        var config = new ConfigLoader().load(yaml, Map.of());
        var server = new RoostServer(config);
        server.start(new PrintStream(OutputStream.nullOutputStream()));
        return new TestServer(data, server, storage);
    }

    /** A user nobody else in this server's tests uses; a Maildir user gets an empty INBOX at once (mbox users at login). */
    public String newUser() throws IOException {
        var user = "user" + nextUser.getAndIncrement();
        if (storage.equals("maildir")) {
            var root = maildir(user);
            for (var sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(root.resolve(sub));
            }
        }
        return user;
    }

    /** The user's mail directory (a Maildir, or the directory of mbox files). */
    public Path maildir(String user) {
        return data.resolve("mail").resolve(user);
    }

    public int imapPort() {
        return server.port("imap");
    }

    public int imapsPort() {
        return server.port("imaps");
    }

    public ImapClient connect() throws IOException {
        return new ImapClient(imapPort());
    }

    /** A connection already logged in as {@code user}. */
    public ImapClient login(String user) throws IOException {
        var client = connect();
        client.expectOk("LOGIN " + user + " " + PASSWORD);
        return client;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
