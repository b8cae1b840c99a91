package org.roost.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Test helper: drives an exchange with text messages. */
final class Conversation {

    static CredentialLookup users(Map<String, String> stored) {
        return user -> Optional.ofNullable(stored.get(user)).map(Credential.Stored::new);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String challengeText(SaslStep step) {
        return new String(assertInstanceOf(SaslStep.Challenge.class, step).data(), StandardCharsets.UTF_8);
    }

    static void assertSuccess(String user, SaslStep step) {
        assertEquals(new SaslStep.Success(user), step);
    }

    static SaslStep.Failure assertFailure(SaslStep.Reason reason, SaslStep step) {
        var failure = assertInstanceOf(SaslStep.Failure.class, step);
        assertEquals(reason, failure.reason(), failure.detail());
        return failure;
    }

    static Optional<byte[]> initial(String text) {
        return Optional.of(bytes(text));
    }

    private Conversation() {
    }
}
