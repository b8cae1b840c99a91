package org.roost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.auth.setup.UserDirectory;

/** auth.sql, auth.ldap, auth.oauth2 and auth.cache: the few documented lines load, every mistake is named. */
class UserDatabaseConfigTest {
    @TempDir
    Path dir;

    private RoostConfig load(String yaml) throws Exception {
        var file = Files.writeString(dir.resolve("roost.yaml"), yaml);
        return new ConfigLoader().load(file, Map.of("ROOST_DATA", dir.resolve("data").toString()));
    }

    private String problem(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void theDocumentedExamplesLoad() throws Exception {
        var secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
        var sql = load("""
                auth:
                  databases: [passwdFile, sql]
                  sql:
                    url: jdbc:postgresql://db.example.org/postfix
                    user: roost
                    passwordFile: %s
                """.formatted(secret));
        assertTrue(sql.auth().sql().passwordQuery().contains("FROM mailbox WHERE username = '%u'"));
        assertEquals(Duration.ofSeconds(5), sql.auth().sql().timeout());
        UserDirectory.check(sql.auth());
        var ldap = load("""
                auth:
                  databases: [passwdFile, ldap]
                  ldap:
                    uris: [ldaps://ldap.example.org]
                    baseDn: ou=people,dc=example,dc=org
                    bindDn: cn=roost,dc=example,dc=org
                    bindPasswordFile: %s
                    attributes: {quota_rule: mailQuota}
                """.formatted(secret));
        assertEquals("userPassword", ldap.auth().ldap().attributes().get("password"), "defaults kept beside the new one");
        assertEquals("mailQuota", ldap.auth().ldap().attributes().get("quota_rule"));
        var oauth = load("""
                auth:
                  mechanisms: [OAUTHBEARER, XOAUTH2, PLAIN, LOGIN]
                  oauth2:
                    jwksUrl: https://idp.example.org/jwks
                    issuer: https://idp.example.org
                    audience: [imap.example.org]
                """);
        assertTrue(oauth.auth().oauth2().configured());
        assertEquals(10_000, oauth.auth().cache().size());
        assertFalse(load("{}").auth().oauth2().configured());
    }

    @Test
    void mistakesAreNamedByTheirKey() {
        assertTrue(problem("auth: {mechanisms: [XOAUTH2]}").contains(
                "auth.mechanisms[0]: XOAUTH2 needs auth.oauth2.jwksUrl or auth.oauth2.introspectionUrl"));
        assertTrue(problem("auth: {databases: [sql]}").contains("auth.sql.url: must be a jdbc:postgresql://"));
        assertTrue(problem("auth: {databases: [sql], sql: {url: 'jdbc:postgresql://h/db?password=x'}}")
                .contains("auth.sql.url: must not hold the password"));
        assertTrue(problem("auth: {sql: {url: 'jdbc:mariadb://h/db'}}").contains("auth.databases does not list 'sql'"));
        assertTrue(problem("auth: {databases: [sql], sql: {url: 'jdbc:mariadb://h/db', password: a, passwordFile: /x}}")
                .contains("auth.sql.password: give it or auth.sql.passwordFile, not both"));
        assertTrue(problem("auth: {databases: [sql], sql: {url: 'jdbc:mariadb://h/db', timeout: 1ms}}")
                .contains("auth.sql.timeout: must be 250ms to 60s"));
        assertTrue(problem("auth: {databases: [ldap], ldap: {uris: ['http://x'], baseDn: dc=x}}")
                .contains("auth.ldap.uris[0]: 'http://x' is not ldap://HOST[:PORT] or ldaps://HOST[:PORT]"));
        assertTrue(problem("auth: {databases: [ldap], ldap: {uris: ['ldaps://x'], baseDn: dc=x, startTls: true}}")
                .contains("but auth.ldap.startTls is true"));
        assertTrue(problem("auth: {databases: [ldap], ldap: {uris: ['ldap://x'], baseDn: dc=x, userFilter: 'uid=%u'}}")
                .contains("auth.ldap.userFilter: must be an LDAP filter in parentheses"));
        assertTrue(problem("auth: {databases: [ldap], ldap: {uris: ['ldap://x'], baseDn: dc=x, attributes: {password: ''}}}")
                .contains("auth.ldap.attributes.password: must name the password attribute"));
        assertTrue(problem("auth: {oauth2: {jwksUrl: 'http://idp.example.org/jwks'}}")
                .contains("auth.oauth2.jwksUrl: must be an https:// URL"));
        assertTrue(problem("auth: {oauth2: {jwksUrl: 'https://idp/jwks', algorithms: [HS256]}}")
                .contains("auth.oauth2.algorithms"));
        assertTrue(problem("auth: {oauth2: {introspectionUrl: 'https://idp/introspect'}}")
                .contains("auth.oauth2.clientId: must be set for introspection"));
        assertTrue(problem("auth: {cache: {ttl: 1m, negativeTtl: 2m}}").contains("auth.cache.negativeTtl"));
    }

    @Test
    void queriesAndSchemesAreCheckedBeforeTheServerStarts() throws Exception {
        var config = load("""
                auth:
                  databases: [passwdFile, sql, ldap]
                  sql: {url: 'jdbc:postgresql://h/db', passwordQuery: "SELECT password FROM m WHERE u = '%n@%d'",
                        defaultScheme: NOPE}
                  ldap: {uris: ['ldap://h'], baseDn: dc=x, userFilter: '(uid=%x)'}
                """);
        var message = assertThrows(ConfigException.class, () -> UserDirectory.check(config.auth())).getMessage();
        assertTrue(message.contains("auth.sql.defaultScheme: unknown password scheme 'NOPE'"), message);
        assertTrue(message.contains("auth.sql.passwordQuery: %n stands inside a longer string literal"), message);
        assertTrue(message.contains("auth.ldap.userFilter: unknown variable %x"), message);
    }
}
