package org.roost.auth.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;
import org.roost.testing.AdminClient;
import org.roost.testing.Directory;
import org.roost.testing.Logins;
import org.roost.testing.SlapdServer;
import org.roost.testing.TestServer;

/**
 * Roost against a private OpenLDAP: the password read with a service bind (lookup mode), or checked by binding
 * as the user (found by a search, or named by a DN template), over plain LDAP, StartTLS and LDAPS with the test
 * CA; filter and DN metacharacters in user names stay values; a directory that hangs or dies gives
 * {@code NO [UNAVAILABLE]} / {@code -ERR [SYS/TEMP]} within the timeout, and logins work again when it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LdapUsersTest {
    static final String UNAVAILABLE = "NO [UNAVAILABLE] Temporary authentication failure.";
    static final String REFUSED = "NO [AUTHENTICATIONFAILED] Authentication failed.";
    Path dir;
    SlapdServer slapd;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        slapd = SlapdServer.start(dir, Directory.ldif(0));
    }

    @AfterAll
    void stop() throws Exception {
        if (slapd != null) {
            slapd.close();
        }
    }

    /** The documented OpenLDAP lines (docs/configuration.md, "OpenLDAP"), as environment. */
    Map<String, String> ldap(String uri, Map<String, String> more) {
        var env = new HashMap<String, String>();
        env.put("ROOST_AUTH_DATABASES", "passwdFile,ldap");
        env.put("ROOST_AUTH_LDAP_URIS", uri);
        env.put("ROOST_AUTH_LDAP_BASEDN", Directory.PEOPLE);
        env.put("ROOST_AUTH_LDAP_BINDDN", SlapdServer.SERVICE_DN);
        env.put("ROOST_AUTH_LDAP_BINDPASSWORD", SlapdServer.SERVICE_PASSWORD);
        env.put("ROOST_AUTH_LDAP_TIMEOUT", "1s");
        env.put("ROOST_LISTENERS_POP3_ENABLED", "true");
        env.putAll(more);
        return env;
    }

    TestServer roost(String name, String uri, Map<String, String> more) throws Exception {
        return TestServer.start(dir.resolve(name), ldap(uri, more));
    }

    @Test
    void lookupModeReadsThePasswordWithTheServiceBind() throws Exception {
        try (var roost = roost("lookup", slapd.uri(), Map.of())) {
            assertEquals("OK", Logins.angus(roost.imapPort(), "lara", "lara-ldap"));
            assertEquals("OK OK", Logins.python("login", roost.imapPort(), "leo", "leo-ldap"));
            assertEquals(REFUSED, Logins.raw(roost, "lara", "wrong"));
            assertEquals(REFUSED, Logins.raw(roost, "nobody", "x"));
            assertEquals("OK", Logins.python("pop3", roost.server().port("pop3"), "lara", "lara-ldap"));
            var lara = AdminClient.call(roost, "GET", "/admin/users/lara").body();
            assertTrue(lara.contains("\"home\":\"/home/lara\"") && lara.contains("\"uid\":\"2001\"")
                    && lara.contains("\"passwordScheme\":\"SSHA\""), lara);
            var users = AdminClient.call(roost, "GET", "/admin/users").body();
            assertTrue(users.contains("\"lara\"") && users.contains("\"x*\""), users);
        }
    }

    /**
     * A login referral (RFC 2221) from the attribute the operator names for Dovecot's {@code host} field
     * ({@code auth.ldap.attributes.host: mailHost} in the YAML file): without {@code nologin} the user is logged in with
     * {@code OK [REFERRAL imap://mira@imap2.example.org/]}, users without the attribute as before.
     */
    @Test
    void theMailHostAttributeSuggestsTheUsersServer() throws Exception {
        var yaml = Files.writeString(Files.createDirectories(dir.resolve("referral")).resolve("roost.yaml"), """
                auth:
                  ldap:
                    attributes:
                      host: mailHost
                """);
        var env = TestServer.baseEnvironment(dir.resolve("referral"));
        env.putAll(ldap(slapd.uri(), Map.of()));
        try (var roost = TestServer.start(new ConfigLoader().load(yaml, env))) {
            assertEquals("OK [REFERRAL imap://mira@imap2.example.org/] Logged in, but you should use this server instead.",
                    Logins.raw(roost, "mira", "mira-ldap"));
            assertEquals("OK OK", Logins.python("login", roost.imapPort(), "mira", "mira-ldap"));
            assertEquals(REFUSED, Logins.raw(roost, "mira", "wrong"));
            assertTrue(Logins.raw(roost, "lara", "lara-ldap").startsWith("OK [CAPABILITY "));
        }
    }

    @Test
    void filterMetacharactersInANameAreValuesNotFilters() throws Exception {
        try (var roost = roost("escaping", slapd.uri(), Map.of())) {
            for (var hostile : new String[] {"*", "a*", "lara)(uid=*", "*)(|(uid=*", "lara\\2a", "(uid=*)"}) {
                assertTrue(Logins.python("plain", roost.imapPort(), hostile, "lara-ldap").contains("AUTHENTICATIONFAILED"),
                        hostile);
            }
            assertEquals("OK OK", Logins.python("plain", roost.imapPort(), "x*", "star-ldap"),
                    "a real uid with '*' in it is found as itself");
        }
    }

    @Test
    void authBindChecksThePasswordByBindingAsTheUser() throws Exception {
        try (var search = roost("bind-search", slapd.uri(), Map.of("ROOST_AUTH_LDAP_AUTHBIND", "true"));
                var template = roost("bind-dn", slapd.uri(), Map.of("ROOST_AUTH_LDAP_AUTHBIND", "true",
                        "ROOST_AUTH_LDAP_AUTHBINDDN", "uid=%u," + Directory.PEOPLE))) {
            for (var roost : new TestServer[] {search, template}) {
                assertEquals("OK", Logins.angus(roost.imapPort(), "lara", "lara-ldap"));
                assertEquals(REFUSED, Logins.raw(roost, "lara", "wrong"));
                assertEquals(REFUSED, Logins.raw(roost, "nobody", "x"));
                assertEquals(REFUSED, Logins.raw(roost, "lara", ""),
                        "an empty password would be an anonymous bind, which LDAP lets through");
                assertEquals(REFUSED, Logins.raw(roost, "lara,ou=people", "lara-ldap"), "DN metacharacters stay values");
                assertEquals("OK OK", Logins.python("plain", roost.imapPort(), "x*", "star-ldap"));
            }
            assertEquals("OK", Logins.angus(search.imapPort(), "lara", "lara-ldap"),
                    "a cached bind answers a repeated login");
            var metrics = AdminClient.metrics(search);
            assertTrue(metrics.contains("roost_auth_lookups_total{database=\"ldap\",result=\"rejected\"}"), metrics);
        }
    }

    @Test
    void startTlsAndLdapsWithTheTestCa() throws Exception {
        try (var startTls = roost("starttls", slapd.uri(), Map.of("ROOST_AUTH_LDAP_STARTTLS", "true",
                "ROOST_AUTH_LDAP_CAFILE", slapd.caFile().toString()));
                var ldaps = roost("ldaps", slapd.tlsUri(), Map.of("ROOST_AUTH_LDAP_CAFILE", slapd.caFile().toString()));
                var untrusted = roost("untrusted", slapd.tlsUri(), Map.of())) {
            assertEquals("OK", Logins.angus(startTls.imapPort(), "lara", "lara-ldap"));
            assertEquals("OK", Logins.angus(ldaps.imapPort(), "leo", "leo-ldap"));
            assertEquals(UNAVAILABLE, Logins.raw(untrusted, "lara", "lara-ldap"),
                    "a server certificate the JVM's CAs do not sign is refused");
        }
    }

    @Test
    void aHungOrDeadDirectoryIsUnavailableAndComesBack() throws Exception {
        try (var roost = roost("faults", slapd.uri(), Map.of("ROOST_AUTH_CACHE_SIZE", "0"))) {
            assertEquals("OK", Logins.angus(roost.imapPort(), "lara", "lara-ldap"));
            slapd.freeze();
            try {
                assertEquals(UNAVAILABLE, Logins.raw(roost, "lara", "lara-ldap"));
                assertTrue(Logins.python("pop3", roost.server().port("pop3"), "lara", "lara-ldap")
                        .contains("[SYS/TEMP]"));
                assertEquals("OK", Logins.angus(roost.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD),
                        "passwd-file users are served while the directory hangs");
            } finally {
                slapd.thaw();
            }
            assertEquals("OK", retry(roost));
            slapd.kill();
            assertEquals(UNAVAILABLE, Logins.raw(roost, "lara", "lara-ldap"));
            slapd.startAgain();
            assertEquals("OK", retry(roost));
        }
    }

    private static String retry(TestServer roost) {
        String answer = "";
        for (int i = 0; i < 50 && !answer.equals("OK"); i++) {
            answer = Logins.angus(roost.imapPort(), "lara", "lara-ldap");
        }
        return answer;
    }
}
