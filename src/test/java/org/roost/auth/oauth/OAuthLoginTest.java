package org.roost.auth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.ExternalServers;
import org.roost.testing.IdentityProvider;
import org.roost.testing.Logins;
import org.roost.testing.TestServer;

/**
 * OAuth 2.0 logins: imaplib and poplib send OAUTHBEARER and XOAUTH2 with tokens the test's identity provider
 * mints; JWTs are checked against its JWKS (rotation found by one refetch, forged key ids rate-limited), opaque
 * tokens by RFC 7662 introspection with a short cache; a rejected token gets the RFC 7628 error challenge,
 * byte for byte; a provider that does not answer gives {@code NO [UNAVAILABLE]}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OAuthLoginTest {
    IdentityProvider idp;
    TestServer roost;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        idp = IdentityProvider.start();
        roost = TestServer.start(dir.resolve("roost"), oauth(idp.url("/jwks"), idp.url("/introspect")));
    }

    /** The documented lines for a JWKS-issuing provider (docs/configuration.md, "OAuth 2.0"). */
    static Map<String, String> oauth(String jwks, String introspection) {
        var env = new HashMap<String, String>();
        env.put("ROOST_AUTH_MECHANISMS", "OAUTHBEARER,XOAUTH2,PLAIN");
        env.put("ROOST_AUTH_OAUTH2_JWKSURL", jwks);
        env.put("ROOST_AUTH_OAUTH2_ISSUER", IdentityProvider.ISSUER);
        env.put("ROOST_AUTH_OAUTH2_AUDIENCE", IdentityProvider.AUDIENCE);
        env.put("ROOST_AUTH_OAUTH2_USERNAMECLAIM", "preferred_username");
        env.put("ROOST_AUTH_OAUTH2_INTROSPECTIONURL", introspection);
        env.put("ROOST_AUTH_OAUTH2_CLIENTID", IdentityProvider.CLIENT_ID);
        env.put("ROOST_AUTH_OAUTH2_CLIENTSECRET", IdentityProvider.CLIENT_SECRET);
        env.put("ROOST_AUTH_OAUTH2_SCOPE", "mail");
        env.put("ROOST_AUTH_OAUTH2_TIMEOUT", "1s");
        env.put("ROOST_LISTENERS_POP3_ENABLED", "true");
        return env;
    }

    @AfterAll
    void stop() {
        if (roost != null) {
            roost.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    void imaplibAndPoplibLogInWithBearerTokens() throws Exception {
        var token = idp.token(TestServer.ALICE, c -> c);
        assertEquals("OK OK", Logins.python("oauthbearer", roost.imapPort(), TestServer.ALICE, token));
        assertEquals("OK OK", Logins.python("xoauth2", roost.imapPort(), TestServer.ALICE, token));
        assertEquals("OK", Logins.python("pop3-xoauth2", roost.server().port("pop3"), TestServer.ALICE, token));
        try (var client = roost.imap()) {
            assertTrue(client.greeting().contains(" AUTH=OAUTHBEARER AUTH=XOAUTH2 AUTH=PLAIN]"));
        }
        assertTrue(AdminClient.metrics(roost).contains("roost_auth_lookups_total{database=\"oauth2\",result=\"found\"}"));
    }

    @Test
    void aRejectedTokenGetsTheRfc7628ErrorThenFails() throws Exception {
        var expired = idp.token(TestServer.ALICE, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600))));
        var message = "n,a=alice,\u0001auth=Bearer " + expired + "\u0001\u0001";
        try (var client = roost.imap()) {
            client.greeting();
            client.send("a AUTHENTICATE OAUTHBEARER " + base64(message));
            var challenge = client.readLine();
            assertEquals("+ " + base64("{\"status\":\"invalid_token\",\"scope\":\"mail\"}"), challenge);
            client.send("AQ==");
            assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.", client.readLine());
        }
        var xoauth2 = Logins.python("xoauth2", roost.imapPort(), TestServer.ALICE, expired);
        assertTrue(xoauth2.contains("CHALLENGE {\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}")
                && xoauth2.contains("NO"), xoauth2);
        assertTrue(AdminClient.metrics(roost).contains("roost_auth_failures_total{protocol=\"imap\",reason=\"token\"}"));
    }

    @Test
    void tokensForAnotherAudienceIssuerUserOrKeyAreRejected() throws Exception {
        var alice = TestServer.ALICE;
        var cases = Map.of(
                "audience", idp.token(alice, c -> c.audience("someone-else")),
                "issuer", idp.token(alice, c -> c.issuer("https://evil.example")),
                "not yet valid", idp.token(alice, c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(3600)))),
                "forged with k1's id", IdentityProvider.token(IdentityProvider.key("k1"), alice, c -> c),
                "unknown user", idp.token("zed", c -> c),
                "another user", idp.token(TestServer.BOB, c -> c));
        for (var entry : cases.entrySet()) {
            var answer = Logins.python("oauthbearer", roost.imapPort(), alice, entry.getValue());
            assertTrue(answer.contains("CHALLENGE {\"status\":\"invalid_token\"") && answer.endsWith(
                    "[AUTHENTICATIONFAILED] Authentication failed."), entry.getKey() + ": " + answer);
        }
        assertTrue(Logins.python("oauthbearer", roost.imapPort(), alice, "not.a-valid.token").startsWith("CHALLENGE"));
    }

    @Test
    void aRotatedKeyIsFetchedOnceAndForgedKeyIdsCannotFloodTheProvider() throws Exception {
        var rotated = idp.rotate("k2");
        int before = idp.jwksFetches();
        assertEquals("OK OK", Logins.python("oauthbearer", roost.imapPort(), TestServer.BOB,
                IdentityProvider.token(rotated, TestServer.BOB, c -> c)));
        long forgingStarted = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            var forged = IdentityProvider.token(IdentityProvider.key("forged-" + i), TestServer.BOB, c -> c);
            assertTrue(Logins.python("oauthbearer", roost.imapPort(), TestServer.BOB, forged).contains("invalid_token"));
        }
        // a slow machine may spread the ten logins over more than one jwksMinRefetch (30 s): one refetch each
        long windows = 1 + Duration.ofNanos(System.nanoTime() - forgingStarted).toSeconds() / 30;
        assertTrue(idp.jwksFetches() - before <= 1 + windows, "one refetch for the new key, at most one more per "
                + "jwksMinRefetch for ten unknown ones: " + (idp.jwksFetches() - before) + " in " + windows + " windows");
    }

    @Test
    void opaqueTokensAreIntrospectedAndTheAnswerKeptBriefly() throws Exception {
        idp.opaque("opaque-ok", "{\"active\":true,\"iss\":\"" + IdentityProvider.ISSUER + "\",\"aud\":[\""
                + IdentityProvider.AUDIENCE + "\"],\"preferred_username\":\"bob\",\"exp\":"
                + (Instant.now().getEpochSecond() + 600) + "}");
        int before = idp.introspections();
        assertEquals("OK OK", Logins.python("xoauth2", roost.imapPort(), TestServer.BOB, "opaque-ok"));
        assertEquals("OK OK", Logins.python("oauthbearer", roost.imapPort(), TestServer.BOB, "opaque-ok"));
        assertEquals(1, idp.introspections() - before, "the second login was answered from the cache");
        assertTrue(Logins.python("xoauth2", roost.imapPort(), TestServer.BOB, "opaque-revoked").contains("\"401\""));
    }

    @Test
    void aProviderThatDoesNotAnswerIsUnavailableNotInvalid() throws Exception {
        int closed = ExternalServers.freePort();
        try (var offline = TestServer.start(dir.resolve("offline"), oauth("http://127.0.0.1:" + closed + "/jwks",
                "http://127.0.0.1:" + closed + "/introspect"))) {
            var token = idp.token(TestServer.ALICE, c -> c);
            assertTrue(Logins.python("oauthbearer", offline.imapPort(), TestServer.ALICE, token)
                    .startsWith("NO [UNAVAILABLE] Temporary authentication failure"));
            assertTrue(Logins.python("xoauth2", offline.imapPort(), TestServer.ALICE, "opaque")
                    .startsWith("NO [UNAVAILABLE] Temporary authentication failure"));
            assertEquals("OK", Logins.angus(offline.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD));
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
