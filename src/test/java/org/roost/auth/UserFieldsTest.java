package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.roost.auth.password.Passwords;
import org.roost.auth.sasl.Credential;

/** Dovecot's field names from a row or an entry, and the fields Roost does not act on. */
class UserFieldsTest {

    @Test
    void passwordsGetTheDefaultSchemeOnlyWhenTheyHaveNone() {
        assertEquals("{SSHA}abc", record(Map.of("password", "{SSHA}abc")).password());
        assertEquals("{CRYPT}$1$salt$hash", record(Map.of("PASSWORD", "$1$salt$hash")).password());
        assertEquals("{CRYPT}{weird", record(Map.of("password_noscheme", "{weird")).password());
    }

    @Test
    void homeUidGidAndUserdbPrefixedFieldsAreUserFields() {
        var fields = new LinkedHashMap<String, String>();
        fields.put("password", "{PLAIN}x");
        fields.put("userdb_home", "/var/vmail/ann");
        fields.put("uid", "5000");
        fields.put("userdb_gid", "5000");
        fields.put("userdb_quota_rule", "*:bytes=1G");
        fields.put("allow_nets", "10.0.0.0/8");
        fields.put("proxy", "y");
        fields.put("host", "10.1.1.1");
        fields.put("nopassword", "y");
        var record = record(fields);
        assertEquals("/var/vmail/ann", record.home());
        assertEquals("5000", record.uid());
        assertEquals("5000", record.gid());
        assertEquals(Map.of("quota_rule", "*:bytes=1G", "allow_nets", "10.0.0.0/8"), record.extra(),
                "proxy fields and nopassword are ignored (and logged once)");
    }

    /** Dovecot's rule: {@code host} is a login referral unless a {@code proxy} field makes it a proxy's. */
    @Test
    void hostPortAndDestuserWithoutProxyAreALoginReferral() {
        var referred = record(Map.of("password", "{PLAIN}x", "HOST", "imap2.example.org", "port", "1143",
                "destuser", "ann@example.org", "nologin", "y", "pass", "secret"));
        assertEquals(Map.of("host", "imap2.example.org", "port", "1143", "destuser", "ann@example.org", "nologin", "y"),
                referred.extra(), "pass stays a proxy field, ignored");
        assertEquals("imap://ann%40example.org@imap2.example.org:1143/",
                referred.referral().orElseThrow().url("ann", Optional.empty()));
        var proxied = record(Map.of("password", "{PLAIN}x", "proxy_maybe", "y", "host", "10.1.1.1", "nologin", "y"));
        assertEquals(Map.of("nologin", "y"), proxied.extra());
        assertEquals(Optional.empty(), proxied.referral(), "a proxy's host is no referral: nologin stays a refusal");
    }

    @Test
    void noPasswordMeansNoPasswordMatches() {
        var stored = record(Map.of("home", "/h")).password();
        for (var attempt : new String[] {"", "x", "*", " "}) {
            assertFalse(Passwords.verify(stored, attempt.getBytes(StandardCharsets.UTF_8)), attempt);
        }
        var checked = UserFields.record("ldap", "ann", Map.of(), "CRYPT", Optional.of(password -> true));
        assertInstanceOf(Credential.Remote.class, checked.credential(), "the database checks it (LDAP bind)");
    }

    private static UserRecord record(Map<String, String> fields) {
        return UserFields.record("test", "ann", fields, "CRYPT", Optional.empty());
    }
}
