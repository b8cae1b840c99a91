package org.roost.session;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import org.roost.net.ProtocolViolation;

/** How one protocol carries SASL challenges and responses (IMAP continuations, POP3 "+" lines). */
public interface SaslChannel {
    /**
     * The octets of a client's base64 text (RFC 4648 §4, padded); empty when anything outside the alphabet or a
     * misplaced pad is in it: an error, never ignored (RFC 4422 §3, RFC 5034 §4).
     */
    static Optional<byte[]> base64(String text) {
        if (!text.matches("[A-Za-z0-9+/]*={0,2}") || text.length() % 4 != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Sends one challenge, already base64 ("+ ..."), and flushes. */
    void challenge(String base64) throws IOException;

    /** The client's answer to the last challenge. */
    Response response() throws IOException, ProtocolViolation;

    /** A client's answer: decoded data, "*" to cancel, or something the protocol cannot take. */
    sealed interface Response {
        record Data(byte[] bytes) implements Response {}

        record Cancel() implements Response {}

        record Malformed(String reason) implements Response {}
    }
}
