package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.auth.password.Passwords;

/** System users from the /etc/passwd + /etc/shadow fixtures in src/test/resources/auth/system (see its README). */
class SystemUsersTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    @TempDir
    Path dir;
    private Path passwd;
    private Path shadow;

    @BeforeEach
    void copyFixtures() throws IOException {
        passwd = dir.resolve("passwd");
        shadow = dir.resolve("shadow");
        Files.copy(Path.of("src/test/resources/auth/system/passwd"), passwd);
        Files.copy(Path.of("src/test/resources/auth/system/shadow"), shadow);
    }

    private Authenticator authenticator(Instant now) throws IOException {
        return new Authenticator(new SystemUsers(passwd, shadow, 1000, new TestClock(now)));
    }

    private static boolean login(Authenticator a, String user, String password) {
        return a.verify(user, password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void usersLogInWithTheirSha512Sha256AndMd5CryptPasswords() throws IOException {
        var a = authenticator(NOW);
        assertTrue(login(a, "alice", "alice pw"));
        assertTrue(login(a, "bob", "bob pw"));
        assertTrue(login(a, "carol", "carol pw"));
        assertFalse(login(a, "alice", "bob pw"));
        assertFalse(login(a, "nobody", "alice pw"));
    }

    @Test
    void homeAndIdsComeFromPasswd() throws IOException {
        var alice = authenticator(NOW).user("alice").orElseThrow();
        assertEquals("/home/alice", alice.home());
        assertEquals("1000", alice.uid());
        assertEquals("{CRYPT}$6$", alice.password().substring(0, 10));
    }

    @Test
    void systemAccountsLockedExpiredAndPasswordlessUsersNeverLogIn() throws IOException {
        var a = authenticator(NOW);
        assertFalse(login(a, "root", "root pw"), "uid 0 is below systemMinUid");
        assertFalse(login(a, "locked", "locked pw"), "'!' locks the account");
        assertFalse(login(a, "expired", "expired pw"), "expired on day 19000");
        assertFalse(login(a, "nopass", ""), "an empty shadow hash must not mean 'any password'");
        assertFalse(login(a, "nopass", "x"));
        assertFalse(login(a, "noshadow", "noshadow pw"));
        assertFalse(login(a, "daemon", ""));
        assertTrue(a.user("locked").orElseThrow().noLogin(), "known to the database, so the chain stops here");
    }

    @Test
    void yescryptIsRefusedNotCrashed() throws IOException {
        assertFalse(login(authenticator(NOW), "erin", "erin pw"));
    }

    @Test
    void anAccountBeforeItsExpiryDayMayLogIn() throws IOException {
        assertTrue(login(authenticator(Instant.parse("2021-06-01T00:00:00Z")), "expired", "expired pw"));
    }

    @Test
    void rootLogsInOnlyWhenTheOperatorLowersTheMinimumUid() throws IOException {
        var a = new Authenticator(new SystemUsers(passwd, shadow, 0, new TestClock(NOW)));
        assertTrue(login(a, "root", "root pw"));
    }

    @Test
    void aChangedShadowFileIsReadAgain() throws IOException {
        var a = authenticator(NOW);
        assertTrue(login(a, "alice", "alice pw"));
        var text = Files.readString(shadow);
        var oldHash = text.substring(text.indexOf("alice:") + 6, text.indexOf(':', text.indexOf("alice:") + 6));
        var newHash = Passwords.hash("SHA512-CRYPT", "new pw".getBytes(StandardCharsets.UTF_8)).substring("{SHA512-CRYPT}".length());
        Files.writeString(shadow, text.replace(oldHash, newHash));
        Files.setLastModifiedTime(shadow, FileTime.from(Instant.now().plusSeconds(10)));
        assertTrue(login(a, "alice", "new pw"));
        assertFalse(login(a, "alice", "alice pw"));
    }

    @Test
    void aBrokenReloadKeepsTheLastGoodCopy() throws IOException {
        var a = authenticator(NOW);
        Files.delete(shadow);
        assertTrue(login(a, "alice", "alice pw"));
    }

    @Test
    void aMissingShadowFileFailsAtStartWithItsName() {
        var e = assertThrows(IOException.class,
                () -> new SystemUsers(passwd, dir.resolve("missing-shadow"), 1000, new TestClock(NOW)));
        assertTrue(e.getMessage().contains("missing-shadow"), e.getMessage());
    }
}
