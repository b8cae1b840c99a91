package org.roost.session;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import org.roost.auth.SaslOutcome;
import org.roost.auth.sasl.SaslExchange;
import org.roost.auth.sasl.SaslStep;
import org.roost.net.ProtocolViolation;

/**
 * Runs a SASL exchange over a protocol's {@link SaslChannel} (RFC 4422 §3: challenges and
 * responses until the mechanism succeeds or fails, the client cancels, or it takes too many rounds).
 */
public final class SaslDialog {
    private final int maxRounds;

    /** {@code maxRounds}: the challenges one exchange may take before it counts as malformed. */
    public SaslDialog(int maxRounds) {
        this.maxRounds = maxRounds;
    }

    public SaslOutcome run(SaslExchange exchange, Optional<byte[]> initialResponse, SaslChannel channel)
            throws IOException, ProtocolViolation {
        var step = exchange.begin(initialResponse);
        for (int round = 0; round < maxRounds; round++) {
            switch (step) {
                case SaslStep.Success s -> {
                    return new SaslOutcome.Succeeded(s.user());
                }
                case SaslStep.Failure f -> {
                    return new SaslOutcome.Failed(f);
                }
                case SaslStep.Challenge c -> {
                    channel.challenge(Base64.getEncoder().encodeToString(c.data()));
                    switch (channel.response()) {
                        case SaslChannel.Response.Data d -> step = exchange.step(d.bytes());
                        case SaslChannel.Response.Cancel x -> {
                            return new SaslOutcome.Cancelled();
                        }
                        case SaslChannel.Response.Malformed m -> {
                            return new SaslOutcome.Malformed(m.reason());
                        }
                    }
                }
            }
        }
        return new SaslOutcome.Malformed("Too many authentication rounds.");
    }
}
