package org.roost.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.roost.auth.sasl.Conversation.assertFailure;
import static org.roost.auth.sasl.Conversation.assertSuccess;
import static org.roost.auth.sasl.Conversation.bytes;
import static org.roost.auth.sasl.Conversation.challengeText;
import static org.roost.auth.sasl.Conversation.initial;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.roost.auth.password.Passwords;
import org.roost.auth.sasl.SaslStep.Reason;

class PlainAndLoginTest {

    private final CredentialLookup users = Conversation.users(Map.of(
            "tim", Passwords.hash("SSHA256", bytes("tanstaaftanstaaf")),
            "Kurt", "{PLAIN}xipj3plmq"));
    private final SaslMechanism plain = SaslMechanisms.byName("plain").orElseThrow();
    private final SaslMechanism login = SaslMechanisms.byName("LOGIN").orElseThrow();

    /** RFC 4616 section 4, first example: empty challenge, then "\0tim\0tanstaaftanstaaf". */
    @Test
    void rfc4616ExampleWithoutInitialResponse() {
        SaslExchange exchange = plain.start(users, "example.org");
        assertEquals("", challengeText(exchange.begin(Optional.empty())));
        assertSuccess("tim", exchange.step(bytes("\0tim\0tanstaaftanstaaf")));
    }

    /** RFC 4616 section 4, second example: Ursel may not act as Kurt. */
    @Test
    void rfc4616ForeignAuthzidIsRefused() {
        SaslExchange exchange = plain.start(users, "example.org");
        assertFailure(Reason.AUTHORIZATION, exchange.begin(initial("Ursel\0Kurt\0xipj3plmq")));
    }

    @Test
    void authzidEqualToAuthcidIsAccepted() {
        assertSuccess("Kurt", plain.start(users, "h").begin(initial("Kurt\0Kurt\0xipj3plmq")));
    }

    @Test
    void unknownUserAndWrongPasswordLookAlike() {
        var unknown = assertFailure(Reason.CREDENTIALS, plain.start(users, "h").begin(initial("\0nobody\0pw")));
        var wrong = assertFailure(Reason.CREDENTIALS, plain.start(users, "h").begin(initial("\0tim\0pw")));
        assertEquals(unknown.clientText(), wrong.clientText());
        assertEquals("unknown user", unknown.detail());
        assertEquals("password mismatch", wrong.detail());
    }

    /** Decoy verification follows the last real user's scheme; a bogus scheme must not break it. */
    @Test
    void unknownUserAfterUsersWithOddSchemes() {
        var odd = Conversation.users(Map.of("odd", "{NOPE}x", "blf", Passwords.hash("BLF-CRYPT", bytes("p"))));
        for (String user : new String[] {"blf", "ghost", "odd", "ghost"}) {
            assertFailure(Reason.CREDENTIALS, plain.start(odd, "h").begin(initial("\0" + user + "\0wrong")));
        }
    }

    @Test
    void malformedPlainMessages() {
        for (String message : new String[] {"", "tim", "\0tim", "\0tim\0", "\0\0pw", "\0tim\0pw\0", "a\0b\0c\0d"}) {
            assertFailure(Reason.MALFORMED, plain.start(users, "h").begin(initial(message)));
        }
        byte[] notUtf8 = {0, 't', (byte) 0xff, 0, 'p'};
        assertFailure(Reason.MALFORMED, plain.start(users, "h").begin(Optional.of(notUtf8)));
    }

    @Test
    void exchangeRefusesCallsOutOfOrder() {
        SaslExchange exchange = plain.start(users, "h");
        assertFailure(Reason.MALFORMED, exchange.step(bytes("\0tim\0tanstaaftanstaaf")));
        SaslExchange done = plain.start(users, "h");
        assertSuccess("Kurt", done.begin(initial("\0Kurt\0xipj3plmq")));
        assertFailure(Reason.MALFORMED, done.step(bytes("\0Kurt\0xipj3plmq")));
        assertFailure(Reason.MALFORMED, done.begin(Optional.empty()));
    }

    @Test
    void loginAsksForUserAndPassword() {
        SaslExchange exchange = login.start(users, "h");
        assertEquals("Username:", challengeText(exchange.begin(Optional.empty())));
        assertEquals("Password:", challengeText(exchange.step(bytes("tim"))));
        assertSuccess("tim", exchange.step(bytes("tanstaaftanstaaf")));
    }

    @Test
    void loginTakesInitialResponseAsUserName() {
        SaslExchange exchange = login.start(users, "h");
        assertEquals("Password:", challengeText(exchange.begin(initial("Kurt"))));
        assertFailure(Reason.CREDENTIALS, exchange.step(bytes("wrong")));
        SaslExchange empty = login.start(users, "h");
        assertEquals("Username:", challengeText(empty.begin(initial(""))));
        assertFailure(Reason.MALFORMED, empty.step(bytes("")));
    }

    @Test
    void failingPasswordStoreIsATemporaryFailure() {
        CredentialLookup broken = user -> {
            throw new IllegalStateException("disk on fire");
        };
        assertFailure(Reason.UNAVAILABLE, plain.start(broken, "h").begin(initial("\0tim\0x")));
    }

    @Test
    void advertisedMechanisms() {
        assertEquals(java.util.List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "OAUTHBEARER", "XOAUTH2", "PLAIN",
                "LOGIN"),
                SaslMechanisms.all().stream().map(SaslMechanism::name).toList());
        assertEquals(java.util.List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5"),
                SaslMechanisms.offered(false).stream().map(SaslMechanism::name).toList());
        assertEquals(java.util.List.of("PLAIN", "LOGIN"),
                SaslMechanisms.usableWith("{SHA512-CRYPT}$6$x$y").stream().map(SaslMechanism::name).toList());
        assertEquals(java.util.List.of("SCRAM-SHA-1", "PLAIN", "LOGIN"), SaslMechanisms.usableWith(
                Passwords.hash("SCRAM-SHA-1", bytes("p"))).stream().map(SaslMechanism::name).toList());
        assertEquals(5, SaslMechanisms.usableWith("{CLEAR}p").size());
        assertEquals(Optional.empty(), SaslMechanisms.byName("GSSAPI"));
    }
}
