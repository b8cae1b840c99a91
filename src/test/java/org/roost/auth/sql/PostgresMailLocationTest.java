package org.roost.auth.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.Logins;
import org.roost.testing.PostgresServer;
import org.roost.testing.Postfixadmin;
import org.roost.testing.TestServer;

/**
 * Postfixadmin's {@code maildir} column as the users' mail location, through the {@code userQuery} Dovecot
 * configurations for Postfixadmin use ({@code CONCAT('maildir:/var/vmail/', maildir) AS mail}): mail lands where
 * the row says, and a row that points outside {@code mail.allowedRoots} keeps its user out with
 * {@code NO [UNAVAILABLE]} until it is mended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresMailLocationTest {
    PostgresServer postgres;
    TestServer roost;
    Path vmail;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.start(dir);
        Postfixadmin.createOnPostgres(postgres);
        vmail = Files.createDirectories(dir.resolve("vmail"));
        var env = new HashMap<>(Postfixadmin.roostEnvironment(postgres.url("postfix")));
        env.put("ROOST_AUTH_SQL_USERQUERY", "SELECT CONCAT('maildir:" + vmail + "/', maildir) AS mail,"
                + " CONCAT('*:bytes=', quota) AS quota_rule FROM mailbox WHERE username = '%u' AND active = '1'");
        env.put("ROOST_MAIL_LOCATION", "maildir:" + vmail + "/%d/%n");
        roost = TestServer.start(dir, env);
    }

    @AfterAll
    void stop() throws Exception {
        if (roost != null) {
            roost.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void mailLandsWhereTheRowSays() throws Exception {
        postgres.execute("postfix", "UPDATE mailbox SET maildir = 'example.org/alice-box/'"
                + " WHERE username = 'alice@example.org'");
        AdminClient.call(roost, "POST", "/admin/auth/cache/flush?user=alice@example.org");
        assertEquals("OK 1", Logins.angusAppend(roost.imapPort(), "alice@example.org", "alice-secret"));
        try (var appended = Files.list(vmail.resolve("example.org/alice-box/cur"))) {
            assertEquals(1, appended.count());
        }
        assertFalse(Files.exists(vmail.resolve("example.org/alice")), "not at mail.location");
        assertEquals("OK OK", Logins.python("login", roost.imapPort(), "bob@example.org", "bob-secret"));
        assertTrue(Files.isDirectory(vmail.resolve("example.org/bob/cur")), "Postfixadmin's own domain/user/ path");
    }

    @Test
    void aHostileRowKeepsItsUserOutUntilMended() throws Exception {
        var unavailable = "NO b'[UNAVAILABLE] Your mail is not available now, try again later.'";
        for (var hostile : new String[] {"../../etc/", "example.org/../../x/", "", "/"}) {
            postgres.execute("postfix", "UPDATE mailbox SET maildir = '" + hostile + "'"
                    + " WHERE username = 'bob@example.org'");
            AdminClient.call(roost, "POST", "/admin/auth/cache/flush?user=bob@example.org");
            assertEquals(unavailable, Logins.python("login", roost.imapPort(), "bob@example.org", "bob-secret"),
                    hostile);
        }
        assertFalse(Files.exists(vmail.resolveSibling("x")) || Files.exists(vmail.resolve("cur")));
        postgres.execute("postfix", "UPDATE mailbox SET maildir = 'example.org/bob/' WHERE username = 'bob@example.org'");
        AdminClient.call(roost, "POST", "/admin/auth/cache/flush?user=bob@example.org");
        assertEquals("OK OK", Logins.python("login", roost.imapPort(), "bob@example.org", "bob-secret"));
    }
}
