package org.roost.session;

import java.io.IOException;
import org.roost.net.ProtocolViolation;

/** How one protocol carries SASL challenges and responses (IMAP continuations, POP3 "+" lines). */
public interface SaslChannel {

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
