package org.roost.auth.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
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
 * Roost pointed at a Postfixadmin database on a private PostgreSQL with the documented few lines (the default
 * queries read Postfixadmin's {@code mailbox} table): existing passwords log in through Angus Mail and imaplib,
 * everything else is refused, and the admin API lists and shows the users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresUsersTest {
    PostgresServer postgres;
    TestServer roost;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        postgres = PostgresServer.start(dir);
        Postfixadmin.createOnPostgres(postgres);
        var secret = Files.writeString(dir.resolve("sql-password"), Postfixadmin.ROLE_PASSWORD + "\n");
        roost = TestServer.start(dir, environment(postgres, secret));
    }

    /**
     * The lines an operator writes (docs/configuration.md, "PostgreSQL with Postfixadmin"), as environment: the
     * password from a file, as a Kubernetes secret gives it.
     */
    static Map<String, String> environment(PostgresServer postgres, Path secret) {
        var env = new HashMap<>(Postfixadmin.roostEnvironment(postgres.url("postfix")));
        env.remove("ROOST_AUTH_SQL_PASSWORD");
        env.put("ROOST_AUTH_SQL_PASSWORDFILE", secret.toString());
        return env;
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
    void postfixadminPasswordsLogInThroughAngusMailAndImaplib() throws Exception {
        assertEquals("OK", Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret"), "{SHA512-CRYPT}");
        assertEquals("OK OK", Logins.python("login", roost.imapPort(), "bob@example.org", "bob-secret"),
                "a bare $1$ md5crypt hash, Postfixadmin's default");
        assertEquals("OK OK", Logins.python("plain", roost.imapPort(), "alice@example.org", "alice-secret"));
        assertEquals("OK", Logins.angus(roost.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD),
                "the passwd-file, first in the chain, still serves its users");
    }

    @Test
    void wrongInactiveUnknownAndEmptyPasswordsAreRefusedAlike() throws Exception {
        var refused = "NO [AUTHENTICATIONFAILED] Authentication failed.";
        assertTrue(Logins.angus(roost.imapPort(), "alice@example.org", "wrong").contains("AUTHENTICATIONFAILED"));
        for (var user : new String[] {"carol@example.org", "nobody@example.org", "dave@example.org"}) {
            var password = Postfixadmin.PASSWORDS.getOrDefault(user, "x");
            assertEquals("NO b'" + refused.substring(3) + "'",
                    Logins.python("login", roost.imapPort(), user, password.isEmpty() ? "anything" : password), user);
        }
    }

    @Test
    void aUserNameIsABindParameterNeverSql() throws Exception {
        for (var hostile : new String[] {"x' OR '1'='1", "alice@example.org' --", "'; DROP TABLE mailbox; --",
                "\\' OR 1=1 --"}) {
            var answer = Logins.python("plain", roost.imapPort(), hostile, "alice-secret");
            assertTrue(answer.contains("AUTHENTICATIONFAILED"), hostile + " -> " + answer);
        }
        assertEquals("OK", Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret"), "the table is intact");
    }

    @Test
    void theAdminApiListsAndShowsSqlUsers() throws Exception {
        var list = AdminClient.call(roost, "GET", "/admin/users?limit=100").body();
        assertTrue(list.contains("\"alice@example.org\"") && list.contains("\"bob@example.org\"")
                && !list.contains("carol@example.org") && list.contains("\"alice\""), list);
        var alice = AdminClient.call(roost, "GET", "/admin/users/alice@example.org");
        assertEquals(200, alice.statusCode(), alice.body());
        assertTrue(alice.body().contains("\"quota_rule\":\"*:bytes=1024\"") && alice.body().contains("SHA512-CRYPT")
                && !alice.body().contains("$6$"), alice.body());
        var health = AdminClient.awaitHealth(roost, "\"detail\":\"PostgreSQL");
        assertTrue(health.matches(".*\"name\":\"sql\",\"status\":\"UP\",\"detail\":\"PostgreSQL [0-9.]+.*"), health);
    }

    @Test
    void lookupsAreCountedAndCachedUntilFlushed() throws Exception {
        assertEquals("OK", Logins.angus(roost.imapPort(), "bob@example.org", "bob-secret"));
        postgres.execute("postfix", "UPDATE mailbox SET password = 'changed' WHERE username = 'bob@example.org'");
        assertEquals("OK", Logins.angus(roost.imapPort(), "bob@example.org", "bob-secret"),
                "the cached answer serves until it expires or is flushed");
        var flushed = AdminClient.call(roost, "POST", "/admin/auth/cache/flush?user=bob@example.org");
        assertEquals("{\"flushed\":2}", flushed.body(),
                "the login's password lookup and its user lookup (where the mail is)");
        assertTrue(Logins.angus(roost.imapPort(), "bob@example.org", "bob-secret").contains("AUTHENTICATIONFAILED"));
        var metrics = AdminClient.metrics(roost);
        assertTrue(metrics.contains("roost_auth_lookups_total{database=\"sql\",result=\"found\"}"), metrics);
        assertTrue(metrics.contains("roost_auth_cache_requests_total{database=\"sql\",result=\"hit\"}"), metrics);
        assertTrue(metrics.contains("roost_auth_lookup_seconds_count{database=\"sql\""), metrics);
        var stats = AdminClient.call(roost, "GET", "/admin/auth/cache").body();
        assertTrue(stats.startsWith("[{\"database\":\"sql\",\"entries\":"), stats);
    }

    /**
     * A login referral (RFC 2221) from a column the operator adds to Postfixadmin's table, named in
     * {@code passwordQuery} as Dovecot's {@code host} field, with {@code nologin} while it is set: the right
     * password gets {@code NO [REFERRAL imap://user@host/]} through imaplib, a wrong one the plain refusal, and
     * clearing the column lets the user in here again. Its own users and server.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Referrals {
        TestServer referring;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            try (var c = DriverManager.getConnection(postgres.url("postfix"), "postgres",
                    PostgresServer.SUPERUSER_PASSWORD)) {
                c.createStatement().execute("ALTER TABLE mailbox ADD COLUMN home_server varchar(255)");
                Postfixadmin.add(c, "otto@example.org", "{PLAIN}otto-secret", true, 0);
                c.createStatement().execute("UPDATE mailbox SET home_server = 'imap2.example.org'"
                        + " WHERE username = 'otto@example.org'");
            }
            var env = new HashMap<>(Postfixadmin.roostEnvironment(postgres.url("postfix")));
            env.put("ROOST_AUTH_SQL_PASSWORDQUERY", "SELECT username AS user, password, home_server AS host,"
                    + " CASE WHEN home_server IS NOT NULL THEN 'y' END AS nologin"
                    + " FROM mailbox WHERE username = '%u' AND active = '1'");
            referring = TestServer.start(dir, env);
        }

        @AfterAll
        void stop() {
            referring.close();
        }

        @Test
        void theColumnRefersTheRightPasswordUntilCleared() throws Exception {
            assertEquals("NO b'[REFERRAL imap://otto%40example.org@imap2.example.org/] Try this server instead.'",
                    Logins.python("login", referring.imapPort(), "otto@example.org", "otto-secret"));
            assertEquals("NO b'[AUTHENTICATIONFAILED] Authentication failed.'",
                    Logins.python("login", referring.imapPort(), "otto@example.org", "wrong"));
            assertEquals("OK OK", Logins.python("login", referring.imapPort(), "alice@example.org", "alice-secret"),
                    "a NULL column is no field: no referral, no nologin");
            postgres.execute("postfix", "UPDATE mailbox SET home_server = NULL WHERE username = 'otto@example.org'");
            AdminClient.call(referring, "POST", "/admin/auth/cache/flush?user=otto@example.org");
            assertEquals("OK OK", Logins.python("login", referring.imapPort(), "otto@example.org", "otto-secret"));
        }
    }

    /**
     * Postfixadmin's {@code maildir} column as the users' mail location, through the {@code userQuery} Dovecot
     * configurations for Postfixadmin use ({@code CONCAT('maildir:/var/vmail/', maildir) AS mail}): mail lands
     * where the row says, and a row that points outside {@code mail.allowedRoots} keeps its user out with
     * {@code NO [UNAVAILABLE]} until it is mended. Its own users, so the tests above cannot disturb it.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class MailLocations {
        static final String UNAVAILABLE = "NO b'[UNAVAILABLE] Your mail is not available now, try again later.'";
        TestServer located;
        Path vmail;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            try (var c = DriverManager.getConnection(postgres.url("postfix"), "postgres",
                    PostgresServer.SUPERUSER_PASSWORD)) {
                Postfixadmin.add(c, "mara@example.org", "{PLAIN}mara-secret", true, 0);
                Postfixadmin.add(c, "nils@example.org", "{PLAIN}nils-secret", true, 0);
            }
            vmail = Files.createDirectories(dir.resolve("vmail"));
            var env = new HashMap<>(Postfixadmin.roostEnvironment(postgres.url("postfix")));
            env.put("ROOST_AUTH_SQL_USERQUERY", "SELECT CONCAT('maildir:" + vmail + "/', maildir) AS mail"
                    + " FROM mailbox WHERE username = '%u' AND active = '1'");
            env.put("ROOST_MAIL_LOCATION", "maildir:" + vmail + "/%d/%n");
            located = TestServer.start(dir, env);
        }

        @AfterAll
        void stop() {
            located.close();
        }

        @Test
        void mailLandsWhereTheRowSays() throws Exception {
            postgres.execute("postfix", "UPDATE mailbox SET maildir = 'example.org/mara-box/'"
                    + " WHERE username = 'mara@example.org'");
            assertEquals("OK 1", Logins.angusAppend(located.imapPort(), "mara@example.org", "mara-secret"));
            try (var appended = Files.list(vmail.resolve("example.org/mara-box/cur"))) {
                assertEquals(1, appended.count());
            }
            assertFalse(Files.exists(vmail.resolve("example.org/mara")), "not at mail.location");
        }

        @Test
        void aHostileRowKeepsItsUserOutUntilMended() throws Exception {
            for (var hostile : new String[] {"../../etc/", "example.org/../../x/", "", "/"}) {
                postgres.execute("postfix", "UPDATE mailbox SET maildir = '" + hostile + "'"
                        + " WHERE username = 'nils@example.org'");
                AdminClient.call(located, "POST", "/admin/auth/cache/flush?user=nils@example.org");
                assertEquals(UNAVAILABLE, Logins.python("login", located.imapPort(), "nils@example.org", "nils-secret"),
                        hostile);
            }
            assertFalse(Files.exists(vmail.resolveSibling("x")) || Files.exists(vmail.resolve("cur")));
            postgres.execute("postfix", "UPDATE mailbox SET maildir = 'example.org/nils/'"
                    + " WHERE username = 'nils@example.org'");
            AdminClient.call(located, "POST", "/admin/auth/cache/flush?user=nils@example.org");
            assertEquals("OK OK", Logins.python("login", located.imapPort(), "nils@example.org", "nils-secret"));
            assertTrue(Files.isDirectory(vmail.resolve("example.org/nils/cur")), "Postfixadmin's own domain/user/");
        }
    }
}
