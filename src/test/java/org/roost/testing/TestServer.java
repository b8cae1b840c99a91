package org.roost.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.roost.auth.password.Passwords;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.config.RoostConfig;
import org.roost.server.RoostServer;

/**
 * An in-process Roost on ephemeral loopback ports with its state in a temporary directory.
 * Settings are given the way an operator would: as {@code ROOST_*} environment overrides on top
 * of the embedded defaults, so the tests exercise the real {@link ConfigLoader} too.
 *
 * <p>The passwd-file holds two users: {@value #ALICE} (password {@value #ALICE_PASSWORD}, stored
 * {@code {PLAIN}}) and {@value #BOB} (password {@value #BOB_PASSWORD}, stored {@code {SHA512-CRYPT}}).
 */
public final class TestServer implements AutoCloseable {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "wonder land";
    public static final String BOB = "bob";
    public static final String BOB_PASSWORD = "builder";
    public static final String ADMIN_TOKEN = "test-admin-token";

    private final RoostServer server;
    private final RoostConfig config;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

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

    public int adminPort() {
        return server.adminPort();
    }

    /** What the server printed on its console (first-start notices). */
    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /** A raw client on the plaintext IMAP port of 127.0.0.1, greeting not yet read. */
    public RawImapClient imap() throws IOException {
        return RawImapClient.connect("127.0.0.1", imapPort());
    }

    /** A raw client on the IMAPS port of 127.0.0.1 (handshake done), greeting not yet read. */
    public RawImapClient imaps() throws IOException {
        return RawImapClient.connectTls("127.0.0.1", imapsPort());
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
