package org.roost.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random and mutated client messages: every mechanism answers, none throws, none lets a stranger in. */
class SaslFuzzTest {

    private static final CredentialLookup USERS = Conversation.users(Map.of(
            "user", "{PLAIN}pencil", "tim", "{CRAM-MD5}" + "00".repeat(32)));

    @Test
    void randomBytesNeverThrowAndNeverSucceed() {
        var random = new Random(4422L);
        for (SaslMechanism mechanism : SaslMechanisms.all()) {
            for (int round = 0; round < 300; round++) {
                SaslExchange exchange = mechanism.start(USERS, "h");
                SaslStep step = exchange.begin(random.nextBoolean() ? Optional.empty() : Optional.of(noise(random)));
                for (int i = 0; i < 4 && step instanceof SaslStep.Challenge; i++) {
                    step = exchange.step(noise(random));
                }
                if (!(step instanceof SaslStep.Challenge)) {
                    assertHandled(assertInstanceOf(SaslStep.Failure.class, step, mechanism.name()));
                }
            }
        }
    }

    /** Flipping bytes of a valid SCRAM client-first keeps the parser total. */
    @Test
    void mutatedScramMessagesNeverThrow() {
        var random = new Random(5802L);
        byte[] valid = Conversation.bytes("n,a=user,n=user,r=fyko+d2lbbFgONRv9qkxdawL,x=ext");
        String alphabet = ",=anyrpcm2C3D\0\u00ff";
        for (int round = 0; round < 3000; round++) {
            byte[] message = valid.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                message[random.nextInt(message.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            SaslExchange exchange = SaslMechanisms.byName("SCRAM-SHA-1").orElseThrow().start(USERS, "h");
            SaslStep step = exchange.begin(Optional.of(message));
            if (step instanceof SaslStep.Challenge) {
                assertHandled(assertInstanceOf(SaslStep.Failure.class, exchange.step(message)));
            } else {
                assertHandled(assertInstanceOf(SaslStep.Failure.class, step));
            }
        }
    }

    /** A failure must come from the parser's own checks, not from the exception safety net. */
    private static void assertHandled(SaslStep.Failure failure) {
        assertFalse(failure.detail().startsWith("internal error"), failure.detail());
    }

    private static byte[] noise(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        if (random.nextInt(4) == 0 && bytes.length > 2) {
            bytes[random.nextInt(bytes.length)] = 0;
            bytes[random.nextInt(bytes.length)] = ',';
        }
        return bytes;
    }
}
