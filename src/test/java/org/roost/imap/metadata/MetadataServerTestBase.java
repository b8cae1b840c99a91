package org.roost.imap.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A server of its own per METADATA test class and storage driver (Maildir, the database store): its
 * {@code metadata.*} settings, users u0 to u9 (password pw).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"maildir", "postgres"})
abstract class MetadataServerTestBase {
    @Parameter
    String storage;
    TestServer server;

    /**
     * Starts the server in {@code dir} with these environment settings, without fsync; called from each class's
     * {@code @BeforeParameterizedClassInvocation} method, which receives the {@link #storage} as its first argument.
     */
    void start(Path dir, Map<String, String> settings) throws IOException {
        var passwd = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            passwd.append("u").append(i).append(":{PLAIN}pw::::::\n");
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        var environment = new HashMap<>(settings);
        if (storage.equals("postgres")) {
            environment.putAll(MailDatabaseServers.shared().environment());
        }
        environment.put("ROOST_MAIL_FSYNC", "false");
        server = TestServer.start(dir, environment);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    RawImapClient login(String user) throws IOException {
        var imap = server.connect();
        imap.expectOk("LOGIN " + user + " pw");
        return imap;
    }
}
