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

/** Dovecot's passwd-file format and the password schemes the foundation needs. */
class PasswdFileTest {
    /** Written by Dovecot 2.3's {@code doveadm pw -s SHA512-CRYPT -p pass}. */
    private static final String SHA512 =
            "{SHA512-CRYPT}$6$1mC3kU8hnEb0/e0t$86sXYvbmpdbIfx7nhDa7pKc6gexymnrnSqXuNE6M/7XoyLV1rOPXL5w1Km01W1nq5x0aYTBGez9x4D.HDjGSY1";
    /** {@code doveadm pw -s SHA512-CRYPT -p 'ünïcödé'} (UTF-8). */
    private static final String SHA512_UNICODE =
            "{SHA512-CRYPT}$6$/1tRcQfXLm4uzZO0$ruAyQWvsGgYJLo/wa1KxgFv1faJZAysMlvI9r38N.719BVju1CXcLW39DELrocb.IAUu6o3GRVwdrQcpujBFw.";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesDovecotLines() {
        var users = PasswdFile.parse(List.of(
                "# a comment",
                "",
                "alice:{PLAIN}secret:1000:1000::/home/alice::userdb_mail=maildir:~/Mail nologin",
                "bob:" + SHA512 + "::::::",
                "carol:{PLAIN}x",
                ":{PLAIN}nameless",
                "alice:{PLAIN}second-entry-ignored"));
        assertEquals(3, users.size());
        var alice = users.get("alice");
        assertEquals("{PLAIN}secret", alice.password());
        assertEquals("1000", alice.uid());
        assertEquals("/home/alice", alice.home());
        assertEquals("maildir:~/Mail", alice.extraField("userdb_mail").orElseThrow());
        assertTrue(alice.noLogin());
        assertFalse(users.get("bob").noLogin());
        assertEquals("", users.get("carol").home(), "short lines are fine");
    }

    @Test
    void schemes() {
        assertTrue(Passwords.verify("{PLAIN}secret", utf8("secret")));
        assertFalse(Passwords.verify("{PLAIN}secret", utf8("Secret")));
        assertTrue(Passwords.verify("{plain}secret", utf8("secret")), "scheme names are case-insensitive");
        assertTrue(Passwords.verify(SHA512, utf8("pass")));
        assertFalse(Passwords.verify(SHA512, utf8("pass ")));
        assertTrue(Passwords.verify(SHA512_UNICODE, utf8("ünïcödé")));
        assertTrue(Passwords.verify(Passwords.hash("SHA512-CRYPT", utf8("ünïcödé")), utf8("ünïcödé")), "our own hashes verify");
        assertFalse(Passwords.verify("{NO-SUCH-SCHEME}x", utf8("x")));
        assertFalse(Passwords.verify("{SHA512-CRYPT}not-a-hash", utf8("x")));
    }

    @Test
    void authenticatorRefusesUnknownAndNologinUsers(@TempDir Path dir) throws IOException {
        var file = dir.resolve("passwd");
        Files.writeString(file, "alice:{PLAIN}secret::::::\nmallory:{PLAIN}secret::::::nologin\n");
        var auth = new Authenticator(new PasswdFile(file));
        assertTrue(auth.verify("alice", utf8("secret")));
        assertFalse(auth.verify("alice", utf8("wrong")));
        assertFalse(auth.verify("nobody", utf8("secret")));
        assertFalse(auth.verify("mallory", utf8("secret")));
    }

    @Test
    void reloadsWhenTheFileChanges(@TempDir Path dir) throws IOException {
        var file = dir.resolve("passwd");
        Files.writeString(file, "alice:{PLAIN}one::::::\n");
        var passwd = new PasswdFile(file);
        assertTrue(passwd.lookup(UserQuery.internal("bob")).isEmpty());
        Files.writeString(file, "alice:{PLAIN}one::::::\nbob:{PLAIN}two::::::\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("{PLAIN}two", passwd.lookup(UserQuery.internal("bob")).orElseThrow().password());
    }

    @Test
    void keepsTheLastGoodCopyWhenTheFileDisappears(@TempDir Path dir) throws IOException {
        var file = dir.resolve("passwd");
        Files.writeString(file, "alice:{PLAIN}one::::::\n");
        var passwd = new PasswdFile(file);
        Files.delete(file);
        assertTrue(passwd.lookup(UserQuery.internal("alice")).isPresent());
    }
}
