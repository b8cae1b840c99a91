package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.config.RoostConfig;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** With no passwd-file and no TLS pair configured, the first start provisions them; the second reuses them. */
class EmbeddedDefaultsTest {
    private static final Pattern PASSWORD = Pattern.compile("created user 'demo' with password: (\\S+)");

    private static RoostConfig embedded(Path data) throws ConfigException {
        return new ConfigLoader().load(null, Map.of(
                "ROOST_DATA", data.toString(),
                "ROOST_LISTENERS_IMAP_PORT", "0",
                "ROOST_LISTENERS_IMAPS_PORT", "0",
                "ROOST_LISTENERS_POP3_PORT", "0",
                "ROOST_LISTENERS_POP3S_PORT", "0",
                "ROOST_ADMIN_PORT", "0"));
    }

    private static void login(TestServer server, String password, String expectedStart) throws IOException {
        try (var c = RawImapClient.connectTls("127.0.0.1", server.imapsPort())) {
            c.greeting();
            var answer = c.tagged("a", "LOGIN demo " + password);
            assertTrue(answer.startsWith(expectedStart), answer);
        }
    }

    @Test
    void firstStartProvisionsAndSecondStartReuses(@TempDir Path dir) throws Exception {
        var data = dir.resolve("roost-data");
        String password;
        byte[] certificate;
        byte[] key;
        try (var first = TestServer.start(embedded(data))) {
            var matcher = PASSWORD.matcher(first.console());
            assertTrue(matcher.find(), first.console());
            password = matcher.group(1);
            assertTrue(password.length() >= 16, "a strong random password");
            certificate = Files.readAllBytes(data.resolve("tls/cert.pem"));
            key = Files.readAllBytes(data.resolve("tls/key.pem"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("passwd"))));
            assertFalse(Files.readString(data.resolve("passwd")).contains(password), "stored hashed");
            assertTrue(Files.readString(data.resolve("passwd")).startsWith("demo:{SHA512-CRYPT}$6$"));
            for (var sub : new String[] {"cur", "new", "tmp"}) {
                assertTrue(Files.isDirectory(data.resolve("mail/demo/" + sub)), sub);
            }
            login(first, password, "a OK ");
            login(first, password + "x", "a NO ");
        }
        try (var second = TestServer.start(embedded(data))) {
            assertFalse(second.console().contains("password"), second.console());
            assertFalse(second.console().contains("generated"), second.console());
            assertArrayEquals(certificate, Files.readAllBytes(data.resolve("tls/cert.pem")));
            assertArrayEquals(key, Files.readAllBytes(data.resolve("tls/key.pem")));
            login(second, password, "a OK ");
        }
    }

    @Test
    void anExistingPasswdFileIsLeftAlone(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir)) {
            assertFalse(server.console().contains("password"), server.console());
            assertTrue(server.console().contains("generated a self-signed TLS certificate"), server.console());
            assertFalse(Files.readString(dir.resolve("passwd")).contains("demo"));
        }
    }
}
