package org.roost.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.roost.auth.sasl.Conversation.assertSuccess;
import static org.roost.auth.sasl.Conversation.challengeText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.roost.auth.password.Passwords;
import org.roost.auth.password.ScramHash;

/** Secrets stored by Dovecot's {@code doveadm pw} (the password tests' fixture) drive full SASL exchanges. */
class DoveadmStoredSecretsTest {

    private static List<String[]> fixture(String scheme) throws IOException {
        try (InputStream in = DoveadmStoredSecretsTest.class.getResourceAsStream("/auth/doveadm-pw.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.startsWith(scheme + "\t"))
                    .map(line -> line.split("\t"))
                    .toList();
        }
    }

    @Test
    void scramExchangesWithDoveadmSecrets() throws IOException {
        for (ScramHash hash : ScramHash.values()) {
            List<String[]> lines = fixture(hash.mechanism());
            assertFalse(lines.isEmpty());
            for (String[] line : lines) {
                var users = Conversation.users(Map.of("user", line[2]));
                var client = new ScramClient(hash, "n,,", "user", Conversation.bytes(line[1]));
                SaslExchange exchange = SaslMechanisms.byName(hash.mechanism()).orElseThrow().start(users, "h");
                String serverFirst = challengeText(exchange.begin(Optional.of(client.first())));
                String serverFinal = challengeText(exchange.step(client.fin(serverFirst)));
                assertEquals(client.expectedServerFinal(), serverFinal);
                assertSuccess("user", exchange.step(new byte[0]));
            }
        }
    }

    @Test
    void cramMd5WithDoveadmContexts() throws IOException {
        for (String[] line : fixture("CRAM-MD5")) {
            var users = Conversation.users(Map.of("tim", line[2]));
            SaslExchange exchange = new CramMd5Mechanism(() -> "1.2").start(users, "h");
            byte[] challenge = Conversation.bytes(challengeText(exchange.begin(Optional.empty())));
            var expected = Passwords.cramMd5Secret("{PLAIN}" + line[1]).orElseThrow().hmac(challenge);
            assertSuccess("tim", exchange.step(Conversation.bytes("tim " + HexFormat.of().formatHex(expected))));
        }
    }
}
