package org.roost.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.auth.sasl.Conversation.assertFailure;
import static org.roost.auth.sasl.Conversation.assertSuccess;
import static org.roost.auth.sasl.Conversation.bytes;
import static org.roost.auth.sasl.Conversation.challengeText;
import static org.roost.auth.sasl.Conversation.initial;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.roost.auth.password.ScramHash;
import org.roost.auth.password.ScramSecret;
import org.roost.auth.sasl.SaslStep.Reason;

class ScramTest {

    private static final byte[] PENCIL = bytes("pencil");

    private static CredentialLookup userWithSalt(ScramHash hash, String salt) {
        String stored = ScramSecret.derive(hash, PENCIL, Base64.getDecoder().decode(salt), 4096).toStoredPassword();
        return Conversation.users(Map.of("user", stored));
    }

    /** RFC 5802 section 5 example exchange, byte for byte. */
    @Test
    void rfc5802Example() {
        var scram = new ScramMechanism(ScramHash.SHA_1, () -> "3rfcNHYJY1ZVvWVs7j");
        SaslExchange exchange = scram.start(userWithSalt(ScramHash.SHA_1, "QSXCR+Q6sek8bf92"), "h");
        assertEquals("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                challengeText(exchange.begin(initial("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"))));
        assertEquals("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", challengeText(exchange.step(bytes(
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="))));
        assertSuccess("user", exchange.step(new byte[0]));
    }

    /** RFC 7677 section 3 example exchange, without an initial response this time. */
    @Test
    void rfc7677Example() {
        var scram = new ScramMechanism(ScramHash.SHA_256, () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        SaslExchange exchange = scram.start(userWithSalt(ScramHash.SHA_256, "W22ZaJ0SNY7soEsUEjb6gQ=="), "h");
        assertEquals("", challengeText(exchange.begin(Optional.empty())));
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                challengeText(exchange.step(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", challengeText(exchange.step(bytes(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))));
        assertSuccess("user", exchange.step(new byte[0]));
    }

    @Test
    void worksFromPlaintextWithAnyHashAndYFlagAndAuthzid() {
        var users = Conversation.users(Map.of("a,b=c", "{PLAIN}pencil"));
        for (ScramHash hash : ScramHash.values()) {
            var client = new ScramClient(hash, "y,a=a=2Cb=3Dc,", "a=2Cb=3Dc", PENCIL);
            SaslExchange exchange = new ScramMechanism(hash).start(users, "h");
            String serverFirst = challengeText(exchange.begin(Optional.of(client.first())));
            String serverFinal = challengeText(exchange.step(client.fin(serverFirst)));
            assertEquals(client.expectedServerFinal(), serverFinal);
            assertSuccess("a,b=c", exchange.step(new byte[0]));
        }
    }

    @Test
    void wrongPasswordUnknownUserAndUnusableSchemeLookAlike() {
        var users = Conversation.users(Map.of("user", "{PLAIN}pencil", "hashed", "{SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        var wrong = run(users, "user", bytes("crayon"));
        var unknown = run(users, "ghost", PENCIL);
        var unusable = run(users, "hashed", PENCIL);
        assertEquals(wrong.clientText(), unknown.clientText());
        assertEquals(wrong.clientText(), unusable.clientText());
        assertEquals("unknown user", unknown.detail());
    }

    @Test
    void unknownUserGetsAStableDecoySalt() {
        var nobody = Conversation.users(Map.of());
        var scram = new ScramMechanism(ScramHash.SHA_256, () -> "s");
        String first = challengeText(scram.start(nobody, "h").begin(initial("n,,n=ghost,r=abc")));
        String again = challengeText(scram.start(nobody, "h").begin(initial("n,,n=ghost,r=abc")));
        assertEquals(first, again);
        assertTrue(first.matches("r=abcs,s=[A-Za-z0-9+/]{22}==,i=4096"), first);
    }

    private static SaslStep.Failure run(CredentialLookup users, String user, byte[] password) {
        var client = new ScramClient(ScramHash.SHA_1, "n,,", user, password);
        SaslExchange exchange = new ScramMechanism(ScramHash.SHA_1).start(users, "h");
        String serverFirst = challengeText(exchange.begin(Optional.of(client.first())));
        return assertFailure(Reason.CREDENTIALS, exchange.step(client.fin(serverFirst)));
    }

    @Test
    void malformedClientFirstMessages() {
        var users = Conversation.users(Map.of("user", "{PLAIN}pencil"));
        for (String message : new String[] {"", "n", "n,", "n,,", "n,,n=user", "n,,r=abc,n=user",
                "p=tls-unique,,n=user,r=abc", "x,,n=user,r=abc", "n,,m=ext,n=user,r=abc", "n,,n=,r=abc",
                "n,,n=us=er,r=abc", "n,,n=user,r=", "n,,n=user,r=a,b", "n,,n=user,r=ab c", "n,b=x,n=user,r=abc",
                "n,,n=user,r=abc,", "n,,n=user,r=abc,1=x", "n,,n=us\u0001er,r=abc"}) {
            assertFailure(Reason.MALFORMED,
                    new ScramMechanism(ScramHash.SHA_1).start(users, "h").begin(initial(message)));
        }
        assertFailure(Reason.AUTHORIZATION,
                new ScramMechanism(ScramHash.SHA_1).start(users, "h").begin(initial("n,a=admin,n=user,r=abc")));
    }

    @Test
    void malformedClientFinalMessages() {
        var users = Conversation.users(Map.of("user", "{PLAIN}pencil"));
        var client = new ScramClient(ScramHash.SHA_1, "n,,", "user", PENCIL);
        for (String tamper : new String[] {"", "c=biws", "c=eSws,r=NONCE,p=PROOF", "c=biws,r=other,p=PROOF",
                "c=biws,r=NONCE,p=AAAA", "c=biws,r=NONCE,p=!!!!", "c=biws,r=NONCE", "r=NONCE,c=biws,p=PROOF",
                "c=biws,r=NONCE,x,p=PROOF", "c=biws,r=NONCE,p=PROOF,x=y"}) {
            SaslExchange exchange = new ScramMechanism(ScramHash.SHA_1).start(users, "h");
            String serverFirst = challengeText(exchange.begin(Optional.of(client.first())));
            String nonce = serverFirst.substring(2, serverFirst.indexOf(",s="));
            String goodFinal = new String(client.fin(serverFirst), java.nio.charset.StandardCharsets.UTF_8);
            String proof = goodFinal.substring(goodFinal.indexOf(",p=") + 3);
            String message = tamper.replace("NONCE", nonce).replace("PROOF", proof);
            assertFailure(Reason.MALFORMED, exchange.step(bytes(message)));
        }
    }

    @Test
    void nonEmptyAcknowledgementFails() {
        var users = Conversation.users(Map.of("user", "{PLAIN}pencil"));
        var client = new ScramClient(ScramHash.SHA_256, "n,,", "user", PENCIL);
        SaslExchange exchange = new ScramMechanism(ScramHash.SHA_256).start(users, "h");
        String serverFirst = challengeText(exchange.begin(Optional.of(client.first())));
        challengeText(exchange.step(client.fin(serverFirst)));
        assertFailure(Reason.MALFORMED, exchange.step(bytes("v=x")));
    }
}
