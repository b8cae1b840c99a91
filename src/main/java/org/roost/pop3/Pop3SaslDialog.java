package org.roost.pop3;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import org.roost.auth.SaslOutcome;
import org.roost.auth.sasl.SaslExchange;
import org.roost.auth.sasl.SaslStep;

/**
 * Carries a SASL exchange over POP3 (RFC 5034 §4): challenges as "+ base64", responses as base64
 * lines, "*" cancels. A mechanism's final server data travels as one more challenge answered with an
 * empty line, since POP3 has no data on success (RFC 4422 §3.6); the engine produces that form.
 */
final class Pop3SaslDialog {
    private static final int MAX_ROUNDS = 10;
    private final Pop3LineReader reader;
    private final Pop3Writer writer;
    private final long maxLine;

    Pop3SaslDialog(Pop3LineReader reader, Pop3Writer writer, long maxLine) {
        this.reader = reader;
        this.writer = writer;
        this.maxLine = maxLine;
    }


    SaslOutcome run(SaslExchange exchange, Optional<byte[]> initialResponse) throws IOException {
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
                    writer.challenge(Base64.getEncoder().encodeToString(c.data())).flush();
                    String line;
                    try {
                        line = reader.line();
                    } catch (Pop3LineReader.LineTooLongException e) {
                        reader.skipLine(maxLine);
                        return new SaslOutcome.Malformed("Authentication response too long.");
                    }
                    if (line.equals("*")) {
                        return new SaslOutcome.Cancelled();
                    }
                    var decoded = Pop3CommandParser.base64(line);
                    if (decoded.isEmpty()) {
                        return new SaslOutcome.Malformed("Invalid base64 data in the authentication response.");
                    }
                    step = exchange.step(decoded.get());
                }
            }
        }
        return new SaslOutcome.Malformed("Too many authentication rounds.");
    }
}
