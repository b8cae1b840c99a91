package org.roost.auth.sasl;

import static org.roost.auth.sasl.Conversation.assertFailure;
import static org.roost.auth.sasl.Conversation.assertSuccess;

import java.util.Map;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;
import org.roost.auth.password.Passwords;
import org.roost.auth.sasl.SaslStep.Reason;

/** Our server side against an independent client implementation: the JDK's own PLAIN and CRAM-MD5 clients. */
class JdkSaslClientInteropTest {

    private static final CredentialLookup USERS = Conversation.users(Map.of(
            "tim", "{PLAIN}tanstaaftanstaaf",
            "kurt", Passwords.hash("CRAM-MD5", Conversation.bytes("xipj3plmq"))));

    private static SaslStep authenticate(String mechanism, String user, String password) throws SaslException {
        CallbackHandler handler = callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                }
            }
        };
        SaslClient client = Sasl.createSaslClient(new String[] {mechanism}, null, "imap", "mail.example",
                Map.of(), handler);
        SaslExchange exchange = SaslMechanisms.byName(mechanism).orElseThrow().start(USERS, "mail.example");
        SaslStep step = exchange.begin(client.hasInitialResponse()
                ? Optional.of(client.evaluateChallenge(new byte[0])) : Optional.empty());
        while (step instanceof SaslStep.Challenge challenge) {
            step = exchange.step(client.evaluateChallenge(challenge.data()));
        }
        return step;
    }

    @Test
    void jdkPlainClient() throws SaslException {
        assertSuccess("tim", authenticate("PLAIN", "tim", "tanstaaftanstaaf"));
        assertFailure(Reason.CREDENTIALS, authenticate("PLAIN", "tim", "wrong"));
    }

    @Test
    void jdkCramMd5ClientAgainstPlainAndStoredContext() throws SaslException {
        assertSuccess("tim", authenticate("CRAM-MD5", "tim", "tanstaaftanstaaf"));
        assertSuccess("kurt", authenticate("CRAM-MD5", "kurt", "xipj3plmq"));
        assertFailure(Reason.CREDENTIALS, authenticate("CRAM-MD5", "kurt", "wrong"));
    }
}
