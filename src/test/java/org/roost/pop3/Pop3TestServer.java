package org.roost.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.roost.config.ConfigLoader;
import org.roost.server.RoostServer;

/**
 * A real Roost server on ephemeral loopback ports (imap, pop3, pop3s) over a Maildir in a temp
 * directory. Users: alice ({PLAIN}secret, so APOP works), bob (SHA512-CRYPT "hunter2") and carol
 * ({PLAIN}nomail), whose mail directory does not exist yet.
 */
final class Pop3TestServer implements AutoCloseable {
    static final String BOB_HASH =
            "{SHA512-CRYPT}$6$roosttestsalt$kV84AweVbjVR4kSxTnFE164HwXz5NTZak//NPni0b/Vb0sM0GXqSbZWxnU1X8tdKKWuJXc7/DXzksYcGQSeS90";
    private static final AtomicInteger DELIVERIES = new AtomicInteger();
    private final Path dir;
    private final RoostServer server;

    private Pop3TestServer(Path dir, RoostServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** {@code secureNetworks} is a YAML list, e.g. "[127.0.0.0/8]" or "[]" to require TLS for passwords. */
    static Pop3TestServer start(Path dir, String secureNetworks, String pop3Section) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        var passwd = dir.resolve("passwd");
        if (!Files.exists(passwd)) {
            Files.writeString(passwd, "alice:{PLAIN}secret::::::\nbob:" + BOB_HASH + "::::::\ncarol:{PLAIN}nomail::::::\n");
            for (var user : new String[] {"alice", "bob"}) {
                for (var sub : new String[] {"cur", "new", "tmp"}) {
                    Files.createDirectories(dir.resolve("mail").resolve(user).resolve(sub));
                }
            }
        }
        var yaml = """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: 0, enabled: true}
                  imaps: {address: 127.0.0.1, port: 0, enabled: false}
                  pop3: {address: 127.0.0.1, port: 0, enabled: true}
                  pop3s: {address: 127.0.0.1, port: 0, enabled: true}
                admin: {enabled: false}
                auth: {passwdFile: %s, secureNetworks: %s}
                mail: {location: "maildir:%s/%%u", fsync: false}
                %s
                """.formatted(dir.resolve("data"), passwd, secureNetworks, dir.resolve("mail"), pop3Section);
        var configFile = dir.resolve("roost.yaml");
        Files.writeString(configFile, yaml);
        var config = new ConfigLoader().load(configFile, java.util.Map.of());
        var server = new RoostServer(config);
        server.start(new PrintStream(new ByteArrayOutputStream()));
        return new Pop3TestServer(dir, server);
    }

    static Pop3TestServer start(Path dir) throws Exception {
        return start(dir, "[127.0.0.0/8, \"::1/128\"]", "");
    }

    int pop3Port() {
        return server.port("pop3");
    }

    int pop3sPort() {
        return server.port("pop3s");
    }

    int imapPort() {
        return server.port("imap");
    }

    RoostServer server() {
        return server;
    }

    Path certificate() {
        return dir.resolve("data/tls/cert.pem");
    }

    Path maildir(String user) {
        return dir.resolve("mail").resolve(user);
    }

    /** Drops a message into {@code new/} as an MTA would; the server picks it up on its next scan. */
    void deliver(String user, String message) throws IOException {
        deliver(user, message.getBytes(StandardCharsets.UTF_8));
    }

    void deliver(String user, byte[] message) throws IOException {
        var name = (1700000000 + DELIVERIES.incrementAndGet()) + ".M" + DELIVERIES.get() + "P1.roosttest";
        var tmp = maildir(user).resolve("tmp").resolve(name);
        Files.write(tmp, message);
        Files.move(tmp, maildir(user).resolve("new").resolve(name));
    }

    /** How many message files the user's INBOX holds on disk. */
    long filesOnDisk(String user) throws IOException {
        long n = 0;
        for (var sub : new String[] {"cur", "new"}) {
            try (Stream<Path> files = Files.list(maildir(user).resolve(sub))) {
                n += files.count();
            }
        }
        return n;
    }

    @Override
    public void close() {
        server.close();
    }
}
