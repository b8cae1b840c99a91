package org.roost.imap;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import org.roost.auth.SaslOutcome;
import org.roost.auth.sasl.SaslExchange;
import org.roost.auth.sasl.SaslStep;

/** Carries a SASL exchange over IMAP continuations (RFC 3501 §6.2.2, RFC 4959). */
final class SaslDialog {
    private static final int MAX_ROUNDS = 10;
    private final ImapReader reader;
    private final ImapWriter writer;

    SaslDialog(ImapReader reader, ImapWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }


    SaslOutcome run(SaslExchange exchange, Optional<byte[]> initialResponse) throws IOException, ProtocolViolation {
        var step = exchange.begin(initialResponse);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            switch (step) {
                case SaslStep.Success s -> {
                    return new SaslOutcome.Succeeded(s.user());
                }
                case SaslStep.Failure f -> {
                    return new SaslOutcome.Failed(f);
                }
                case SaslStep.Challenge c -> {
                    writer.continuation(Base64.getEncoder().encodeToString(c.data())).flush();
                    var line = reader.line();
                    if (line.equals("*")) {
                        return new SaslOutcome.Cancelled();
                    }
                    try {
                        step = exchange.step(CommandParser.saslResponse(line));
                    } catch (ImapParseException e) {
                        return new SaslOutcome.Malformed(e.getMessage());
                    }
                }
            }
        }
        return new SaslOutcome.Malformed("Too many authentication rounds.");
    }
}
