package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.auth.password.Passwords;

/** passwd-file extra fields, reload, and the chain of databases. */
class PasswordDatabasesTest {
    @TempDir
    Path dir;

    private static String hash(String password) {
        return Passwords.hash("SHA512-CRYPT", password.getBytes(StandardCharsets.UTF_8));
    }

    private static LoginAttempt.Result login(Authenticator a, String from, String user, String password) {
        return a.login("imap", AddressPenaltiesTest.address(from), LoginWaits.DIRECT, user, password.getBytes(StandardCharsets.UTF_8));
    }

    private Path passwdFile(String... lines) throws IOException {
        var file = dir.resolve("passwd");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void nologinRefusesTheRightPassword() throws IOException {
        var a = new Authenticator(new PasswdFile(passwdFile("ann:" + hash("pw") + "::::::nologin")));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "127.0.0.1", "ann", "pw"));
        assertFalse(a.verify("ann", "pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void allowNetsChecksTheClientAddressIpv4AndIpv6() throws IOException {
        var a = new Authenticator(new PasswdFile(passwdFile(
                "ann:{PLAIN}pw:1000:1000::/home/ann::allow_nets=192.0.2.0/24,2001:db8::/32 userdb_mail=maildir:~/Mail")));
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "192.0.2.9", "ann", "pw"));
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "::ffff:192.0.2.9", "ann", "pw"));
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "2001:db8:1::5", "ann", "pw"));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "127.0.0.1", "ann", "pw"));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "::1", "ann", "pw"));
        assertFalse(a.verify("ann", "pw".getBytes(StandardCharsets.UTF_8)), "no client address: refused");
        assertEquals("maildir:~/Mail", a.user("ann").orElseThrow().extraField("userdb_mail").orElseThrow());
    }

    @Test
    void aMalformedAllowNetsFailsClosed() throws IOException {
        var a = new Authenticator(new PasswdFile(passwdFile("ann:{PLAIN}pw::::::allow_nets=not-a-net")));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "127.0.0.1", "ann", "pw"));
    }

    @Test
    void thePasswdFileIsReadAgainWhenItChanges() throws IOException {
        var file = passwdFile("ann:{PLAIN}old::::::");
        var a = new Authenticator(new PasswdFile(file));
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "::1", "ann", "old"));
        Files.writeString(file, "ann:{PLAIN}new::::::\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "::1", "ann", "new"));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "::1", "ann", "old"));
    }

    @Test
    void theFirstDatabaseThatKnowsAUserDecides() throws IOException {
        var first = new PasswdFile(passwdFile("ann:{PLAIN}file-pw::::::", "bob:{PLAIN}pw::::::nologin"));
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), "ann:x:1000:1000::/home/ann:/bin/sh\n"
                + "bob:x:1001:1001::/home/bob:/bin/sh\ncarl:x:1002:1002::/home/carl:/bin/sh\n");
        Files.writeString(dir.resolve("etc/shadow"), "ann:" + hash("system-pw").substring(14) + ":1::::::\n"
                + "bob:" + hash("pw").substring(14) + ":1::::::\ncarl:" + hash("carl-pw").substring(14) + ":1::::::\n");
        var system = new SystemUsers(dir.resolve("etc/passwd"), dir.resolve("etc/shadow"), 1000,
                new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
        var a = new Authenticator(new PasswordChain(List.of(first, system)));
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "::1", "ann", "file-pw"));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "::1", "ann", "system-pw"));
        assertEquals(LoginAttempt.Result.REJECTED, login(a, "::1", "bob", "pw"), "nologin in the first database is final");
        assertEquals(LoginAttempt.Result.ACCEPTED, login(a, "::1", "carl", "carl-pw"), "only the system knows carl");
        assertEquals(5, new PasswordChain(List.of(first, system)).size());
        var reversed = new Authenticator(new PasswordChain(List.of(system, first)));
        assertTrue(reversed.verify("ann", "system-pw".getBytes(StandardCharsets.UTF_8)));
    }
}
