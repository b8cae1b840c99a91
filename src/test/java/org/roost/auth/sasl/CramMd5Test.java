package org.roost.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

class CramMd5Test {

    private static final String RFC_CHALLENGE = "<1896.697170952@postoffice.reston.mci.net>";
    private static final String RFC_RESPONSE = "tim b913a602c7eda7a495b4e6e7334d3890";

    private final SaslMechanism rfcCram = new CramMd5Mechanism(() -> "1896.697170952");

    private SaslStep rfcExchange(String storedForTim, String response) {
        SaslExchange exchange = rfcCram.start(Conversation.users(Map.of("tim", storedForTim)),
                "postoffice.reston.mci.net");
        assertEquals(RFC_CHALLENGE, challengeText(exchange.begin(Optional.empty())));
        return exchange.step(bytes(response));
    }

    /** RFC 2195 section 2 example, from a plaintext and from Dovecot's stored CRAM-MD5 context. */
    @Test
    void rfc2195Example() {
        assertSuccess("tim", rfcExchange("{PLAIN}tanstaaftanstaaf", RFC_RESPONSE));
        assertSuccess("tim", rfcExchange(Passwords.hash("CRAM-MD5", bytes("tanstaaftanstaaf")), RFC_RESPONSE));
        assertSuccess("tim", rfcExchange("{CLEAR}tanstaaftanstaaf", RFC_RESPONSE.toUpperCase().replace("TIM", "tim")));
    }

    @Test
    void wrongDigestUnknownUserAndUnusableSchemeLookAlike() {
        var wrong = assertFailure(Reason.CREDENTIALS,
                rfcExchange("{PLAIN}other", RFC_RESPONSE));
        var unusable = assertFailure(Reason.CREDENTIALS,
                rfcExchange(Passwords.hash("SSHA", bytes("tanstaaftanstaaf")), RFC_RESPONSE));
        var unknown = assertFailure(Reason.CREDENTIALS,
                rfcExchange("{PLAIN}x", "bob b913a602c7eda7a495b4e6e7334d3890"));
        assertEquals(wrong.clientText(), unusable.clientText());
        assertEquals(wrong.clientText(), unknown.clientText());
        assertEquals("stored scheme SSHA cannot serve CRAM-MD5", unusable.detail());
    }

    @Test
    void malformedResponses() {
        for (String response : new String[] {"", "tim", "tim b913", "timb913a602c7eda7a495b4e6e7334d3890",
                " b913a602c7eda7a495b4e6e7334d3890", "tim zz13a602c7eda7a495b4e6e7334d3890"}) {
            assertFailure(Reason.MALFORMED, rfcExchange("{PLAIN}tanstaaftanstaaf", response));
        }
    }

    @Test
    void initialResponseIsRefused() {
        var exchange = rfcCram.start(user -> Optional.empty(), "h");
        assertFailure(Reason.MALFORMED, exchange.begin(initial(RFC_RESPONSE)));
    }

    @Test
    void challengesAreUniqueAndNameTheServer() {
        var cram = SaslMechanisms.byName("CRAM-MD5").orElseThrow();
        String first = challengeText(cram.start(user -> Optional.empty(), "mail.example").begin(Optional.empty()));
        String second = challengeText(cram.start(user -> Optional.empty(), "mail.example").begin(Optional.empty()));
        assertNotEquals(first, second);
        assertEquals(true, first.matches("<\\d+\\.\\d+@mail\\.example>"), first);
    }
}
