package org.roost.auth.sasl;

/** The server's answer to one client response. */
public sealed interface SaslStep {
    record Challenge(byte[] data) implements SaslStep {}

    record Success(String user, byte[] finalData) implements SaslStep {}

    record Failure(String reason) implements SaslStep {}
}
