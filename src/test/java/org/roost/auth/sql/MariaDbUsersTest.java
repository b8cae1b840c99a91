package org.roost.auth.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.roost.testing.MariaDbServer;
import org.roost.testing.Postfixadmin;
import org.roost.testing.TestServer;

/**
 * The same Postfixadmin table on a private MariaDB, with the documented query that compares user names exactly
 * ({@code BINARY}: MariaDB's default collation ignores case, and the session keeps the name the client typed);
 * killed, it gives {@code NO [UNAVAILABLE]}; restarted, logins work again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MariaDbUsersTest {
    MariaDbServer mariadb;
    TestServer roost;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        mariadb = MariaDbServer.start(dir);
        Postfixadmin.createOnMariaDb(mariadb);
        var env = new HashMap<>(Postfixadmin.roostEnvironment(mariadb.url("postfix")));
        env.put("ROOST_AUTH_SQL_PASSWORDQUERY",
                "SELECT username AS user, password FROM mailbox WHERE username = BINARY '%u' AND active = '1'");
        env.put("ROOST_AUTH_SQL_TIMEOUT", "5s");
        env.put("ROOST_AUTH_CACHE_SIZE", "0");
        roost = TestServer.start(dir.resolve("roost"), env);
    }

    @AfterAll
    void stop() throws Exception {
        if (roost != null) {
            roost.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Test
    void postfixadminPasswordsLogIn() throws Exception {
        assertEquals("OK", Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret"), this::diagnosis);
        assertEquals("OK OK", Logins.python("login", roost.imapPort(), "bob@example.org", "bob-secret"));
        assertTrue(Logins.raw(roost, "ALICE@example.org", "alice-secret").contains("AUTHENTICATIONFAILED"),
                "BINARY: another spelling is another user");
        assertTrue(Logins.raw(roost, "carol@example.org", "carol-secret").contains("AUTHENTICATIONFAILED"));
        var up = "\"name\":\"sql\",\"status\":\"UP\",\"detail\":\"MariaDB";
        var health = AdminClient.awaitHealth(roost, up);
        assertTrue(health.contains(up), health);
    }

    @Test
    void killedThenRestarted() throws Exception {
        mariadb.kill();
        assertEquals("NO [UNAVAILABLE] Temporary authentication failure.",
                Logins.raw(roost, "alice@example.org", "alice-secret"));
        mariadb.startAgain();
        String answer = "";
        for (int i = 0; i < 120 && !answer.equals("OK"); i++) {
            if (i > 0) {
                Thread.sleep(250);
            }
            answer = Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret");
        }
        assertEquals("OK", answer, this::diagnosis);
    }

    /** What the server's health says of the database, and MariaDB's own log: why logins are unavailable. */
    private String diagnosis() {
        try {
            return AdminClient.call(roost, "GET", "/health/ready").body() + "\n" + mariadb.errorLog();
        } catch (Exception e) {
            return "no diagnosis: " + e;
        }
    }
}
