package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.roost.auth.password.Passwords;
import org.roost.config.RoostConfig;
import org.roost.net.TlsContexts;

/**
 * First-start provisioning of the data directory: a self-signed TLS pair when none is configured,
 * and, when the passwd-file does not exist yet, one with a {@code demo} user whose random password
 * is printed once. A second start finds everything and changes nothing.
 */
final class EmbeddedDefaults {
    static final String DEMO_USER = "demo";
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private EmbeddedDefaults() {}

    static Path certificate(RoostConfig c) {
        return c.tls().certificate() != null ? c.tls().certificate() : c.data().resolve("tls/cert.pem");
    }

    static Path key(RoostConfig c) {
        return c.tls().key() != null ? c.tls().key() : c.data().resolve("tls/key.pem");
    }

    static void provision(RoostConfig config, PrintStream console) throws IOException {
        Files.createDirectories(config.data());
        if (config.tls().certificate() == null && !(Files.exists(key(config)) && Files.exists(certificate(config)))) {
            Files.createDirectories(config.data().resolve("tls"));
            TlsContexts.generateSelfSigned(certificate(config), key(config), "localhost");
            console.println("roost: generated a self-signed TLS certificate: " + certificate(config));
        }
        var passwd = config.auth().passwdFile();
        if (config.auth().databases().contains("passwdFile") && !Files.exists(passwd)) {
            createDemoUser(passwd, console);
        }
    }

    private static void createDemoUser(Path passwd, PrintStream console) throws IOException {
        var password = randomPassword();
        var line = DEMO_USER + ":" + Passwords.hash("SHA512-CRYPT", password.getBytes(StandardCharsets.UTF_8)) + "::::::\n";
        if (passwd.getParent() != null) {
            Files.createDirectories(passwd.getParent());
        }
        Files.writeString(passwd, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-------"));
        console.println("roost: created user '" + DEMO_USER + "' with password: " + password);
        console.println("roost: (shown only this once; it is stored hashed in " + passwd + ")");
    }

    private static String randomPassword() {
        var random = new SecureRandom();
        var sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }
}
