package org.roost.auth.sasl;

import static org.roost.auth.sasl.Conversation.assertFailure;
import static org.roost.auth.sasl.Conversation.assertSuccess;
import static org.roost.auth.sasl.Conversation.challengeText;
import static org.roost.auth.sasl.Conversation.initial;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roost.auth.sasl.SaslStep.Reason;

/** OAUTHBEARER (RFC 7628) and XOAUTH2 messages, valid and hostile, against a token service that knows one token. */
class BearerMechanismTest {
    private final List<String> asked = new ArrayList<>();
    private final CredentialLookup tokens = new CredentialLookup() {
        @Override
        public Optional<Credential> credential(String user) {
            return Optional.empty();
        }

        @Override
        public TokenCheck bearerToken(String token, Optional<String> claimedUser) {
            asked.add(token + "|" + claimedUser.orElse("-"));
            return token.equals("good.to-ken_~+/=") ? new TokenCheck.Valid("ann")
                    : new TokenCheck.Rejected("expired", Optional.of("mail"), Optional.of("https://idp/.well-known"));
        }
    };
    private final SaslMechanism oauthbearer = SaslMechanisms.byName("OAUTHBEARER").orElseThrow();
    private final SaslMechanism xoauth2 = SaslMechanisms.byName("XOAUTH2").orElseThrow();

    @Test
    void rfc7628Section4Example() {
        var exchange = oauthbearer.start(tokens, "h");
        assertSuccess("ann", exchange.begin(initial(
                "n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer good.to-ken_~+/=\u0001\u0001")));
        assertEquals(List.of("good.to-ken_~+/=|user@example.com"), asked);
    }

    @Test
    void aRejectedTokenGetsTheErrorThenFailsOnTheAcknowledgement() {
        var exchange = oauthbearer.start(tokens, "h");
        assertEquals("{\"status\":\"invalid_token\",\"scope\":\"mail\",\"openid-configuration\":\"https://idp/.well-known\"}",
                challengeText(exchange.begin(initial("n,,\u0001auth=Bearer old\u0001\u0001"))));
        assertFailure(Reason.CREDENTIALS, exchange.step(new byte[] {1}));
        var google = xoauth2.start(tokens, "h");
        assertEquals("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}",
                challengeText(google.begin(initial("user=ann\u0001auth=Bearer old\u0001\u0001"))));
        assertFailure(Reason.CREDENTIALS, google.step(new byte[0]));
        var wrongAck = oauthbearer.start(tokens, "h");
        challengeText(wrongAck.begin(initial("n,,\u0001auth=Bearer old\u0001\u0001")));
        assertFailure(Reason.MALFORMED, wrongAck.step("more".getBytes()));
    }

    @Test
    void withoutAnInitialResponseTheServerAsksWithAnEmptyChallenge() {
        var exchange = xoauth2.start(tokens, "h");
        assertEquals("", challengeText(exchange.begin(Optional.empty())));
        assertSuccess("ann", exchange.step("user=ann\u0001auth=bearer good.to-ken_~+/=\u0001\u0001".getBytes()));
    }

    @Test
    void malformedMessagesNeverReachTheTokenService() {
        for (var message : new String[] {"", "\u0001", "n,,", "p=tls-unique,,\u0001auth=Bearer t\u0001\u0001",
                "x,,\u0001auth=Bearer t\u0001\u0001", "n,a=bad=escape,\u0001auth=Bearer t\u0001\u0001",
                "n,,\u0001auth=Bearer t\u0001", "n,,\u0001auth=Basic dXNlcg==\u0001\u0001",
                "n,,\u0001auth=Bearer two words\u0001\u0001", "n,,\u0001=v\u0001auth=Bearer t\u0001\u0001",
                "n,,\u0001host=h\u0001\u0001"}) {
            assertFailure(Reason.MALFORMED, oauthbearer.start(tokens, "h").begin(initial(message)));
        }
        for (var message : new String[] {"auth=Bearer t\u0001\u0001", "user=\u0001auth=Bearer t\u0001\u0001",
                "user=a\u0001auth=Bearer t\u0001", "user=a\u0007b\u0001auth=Bearer t\u0001\u0001"}) {
            assertFailure(Reason.MALFORMED, xoauth2.start(tokens, "h").begin(initial(message)));
        }
        assertFailure(Reason.MALFORMED, oauthbearer.start(tokens, "h").begin(Optional.of(new byte[] {(byte) 0xff})));
        assertEquals(List.of(), asked);
    }

    @Test
    void randomBytesNeverThrow() {
        var random = new Random(7628);
        var pieces = new String[] {"n,", "a=", ",", "\u0001", "auth=", "Bearer ", "tok", "=", "user=", "y,", "\u0000"};
        for (int i = 0; i < 20_000; i++) {
            var message = new StringBuilder();
            for (int n = random.nextInt(10); n > 0; n--) {
                message.append(pieces[random.nextInt(pieces.length)]);
            }
            var mechanism = random.nextBoolean() ? oauthbearer : xoauth2;
            var step = mechanism.start(tokens, "h").begin(initial(message.toString()));
            if (step instanceof SaslStep.Failure failure) {
                assertEquals(true, failure.reason() == Reason.MALFORMED || failure.reason() == Reason.CREDENTIALS,
                        "seed 7628, case " + i);
            }
        }
    }
}
