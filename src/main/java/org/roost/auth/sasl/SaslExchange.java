package org.roost.auth.sasl;

/** One authentication exchange; {@link #step} gets the client's responses in order (the first may be the initial response). */
public interface SaslExchange {
    SaslStep step(byte[] clientResponse);
}
