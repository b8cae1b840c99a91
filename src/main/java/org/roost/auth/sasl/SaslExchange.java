package org.roost.auth.sasl;

import java.util.Optional;

/**
 * One authentication attempt with one mechanism. Call {@link #begin} exactly once, then {@link #step}
 * with each client response for as long as the answer is a {@link SaslStep.Challenge}.
 * Neither method throws on client input; after Success or Failure every further call is a Failure.
 * A client cancel ("*") is the protocol's business: it simply abandons the exchange.
 */
public interface SaslExchange {

    /**
     * Starts the exchange. {@code initialResponse} is empty when the client sent none
     * (IMAP AUTHENTICATE without SASL-IR data, POP3 AUTH with one argument), and an empty array
     * when it sent "=" (an initial response of zero bytes, RFC 4422 section 4).
     */
    SaslStep begin(Optional<byte[]> initialResponse);

    /** The client's (decoded) response to the last challenge. */
    SaslStep step(byte[] response);
}
