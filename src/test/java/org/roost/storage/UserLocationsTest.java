package org.roost.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.roost.mail.MailUnavailableException;

/**
 * A user's own {@code mail} field over {@code mail.location}, {@code ~} and {@code %h} from their {@code home},
 * and the bounds on what a user database may name: absolute, no {@code ..}, strictly inside an allowed root.
 */
class UserLocationsTest {
    private static final MailLocation CONFIGURED = MailLocation.parse("maildir:/var/vmail/%d/%n");
    private final UserLocations locations = new UserLocations(CONFIGURED, Set.of("maildir"),
            List.of(Path.of("/var/vmail"), Path.of("/home")));

    private Path root(String user, String mail, String home) throws MailUnavailableException {
        return locations.of(user, Optional.ofNullable(mail), home).root();
    }

    @Test
    void withoutAMailFieldTheConfiguredLocationServes() throws MailUnavailableException {
        assertEquals(Path.of("/var/vmail/example.org/alice"), root("alice@example.org", null, "/home/alice"));
    }

    @Test
    void theMailFieldOverridesTheLocationAndTheHomeExpandsTildeAndPercentH() throws MailUnavailableException {
        assertEquals(Path.of("/home/alice/Maildir"), root("alice", "maildir:~/Maildir", "/home/alice"));
        assertEquals(Path.of("/home/alice/mail"), root("alice", "maildir:%h/mail", "/home/alice/"));
        assertEquals(Path.of("/var/vmail/other.org/ann/x"), root("ann@other.org", "maildir:/var/vmail/%d/%n/x", ""));
        assertEquals(Path.of("/home/bob/%h"), root("bob", "maildir:~/%%h", "/home/bob"), "%% is a percent sign");
    }

    @Test
    void twoNamesForOneDirectoryShareOneStoreKey() throws MailUnavailableException {
        var a = locations.of("a", Optional.of("maildir:/var/vmail/shared"), "");
        var b = locations.of("b", Optional.of("maildir:/var/vmail//shared/"), "");
        assertEquals(a.key(), b.key());
        assertNotEquals(a.key(), locations.of("a", Optional.empty(), "").key());
    }

    @Test
    void locationsFromTheDatabaseMustStayInsideTheAllowedRoots() {
        for (var hostile : List.of("maildir:/etc/roost", "maildir:/var/vmail", "maildir:/var/vmail/",
                "maildir:/var/vmail/../etc/x", "maildir:/var/vmail/a/../../etc", "maildir:relative/dir",
                "maildir:Maildir", "maildir:~/../../etc", "maildir:/var/vmailx/alice", "maildir:/", "maildir:",
                "mbox:/var/vmail/alice", "/var/vmail/alice", "MAILDIR:/var/vmail/alice", ":/var/vmail/a",
                "maildir:/var/vmail/a:INDEX=/tmp/x", "maildir:/var/vmail/a\0b", "maildir:/var/vmail/a\nforged line")) {
            var e = assertThrows(MailUnavailableException.class, () -> root("alice", hostile, "/home/alice"), hostile);
            assertFalse(e.getMessage().contains("\n"), "made printable for the log: " + e.getMessage());
        }
    }

    @Test
    void aHomeUsedForTheLocationIsCheckedToo() {
        var fromHome = new UserLocations(MailLocation.parse("maildir:~/Maildir"), Set.of("maildir"),
                List.of(Path.of("/home")));
        for (var home : List.of("", "home/alice", "/home/../etc", "/etc", "/", "/home/a\rb")) {
            assertThrows(MailUnavailableException.class, () -> fromHome.of("alice", Optional.empty(), home), home);
        }
        assertThrows(MailUnavailableException.class, () -> root("alice", "maildir:~/Maildir", ""), "no home");
    }

    @Test
    void userNamesThatCouldEscapeAreRefusedEvenForTheConfiguredLocation() {
        for (var user : List.of("", ".", "..", "a/b", "../x", "a\0b")) {
            assertThrows(MailUnavailableException.class, () -> locations.of(user, Optional.empty(), ""), user);
        }
    }

    @Test
    void randomFieldsAreRefusedOrLandStrictlyInsideARoot() {
        var random = new Random(17);
        var pieces = List.of("/", "..", ".", "~", "%h", "%u", "%n", "%d", "%%", "%", ":", "var", "vmail", "home",
                "maildir:", "mbox:", "\0", "\n", "a", "é", " ");
        for (int i = 0; i < 20_000; i++) {
            var field = new StringBuilder(random.nextBoolean() ? "maildir:" : "");
            for (int n = random.nextInt(9); n > 0; n--) {
                field.append(pieces.get(random.nextInt(pieces.size())));
            }
            var home = random.nextBoolean() ? "/home/u" : pieces.get(random.nextInt(pieces.size()));
            try {
                var root = root("u@d", field.toString(), home);
                assertTrue(root.isAbsolute() && (root.startsWith("/var/vmail/") || root.startsWith("/home/"))
                        && !root.equals(Path.of("/var/vmail")) && !root.equals(Path.of("/home")), field + " -> " + root);
            } catch (MailUnavailableException refused) {
                assertFalse(refused.getMessage().contains("\n") || refused.getMessage().contains("\0"));
            }
        }
    }

    @Test
    void fixedDirectoryIsWhereEveryUsersMailLies() {
        assertEquals(Optional.of(Path.of("/var/vmail")), CONFIGURED.fixedDirectory());
        assertEquals(Optional.of(Path.of("/srv/mail")), MailLocation.parse("maildir:/srv/mail/%u").fixedDirectory());
        assertEquals(Optional.of(Path.of("/srv")), MailLocation.parse("maildir:/srv/mail-%u").fixedDirectory());
        assertEquals(Optional.empty(), MailLocation.parse("maildir:~/Maildir").fixedDirectory());
        assertEquals(Optional.empty(), MailLocation.parse("maildir:%h/Maildir").fixedDirectory());
        assertTrue(MailLocation.parse("maildir:/x/%h").usesHome());
        assertFalse(MailLocation.parse("maildir:/x/%%h").usesHome());
    }
}
