package org.roost.auth.sasl;

/** A SASL mechanism (RFC 4422): a name and a factory for exchanges. Implementations are stateless. */
public interface SaslMechanism {

    /** The registered mechanism name, upper case (e.g. "SCRAM-SHA-256"). */
    String name();

    /**
     * True when the client sends the password itself (PLAIN, LOGIN); such mechanisms should be offered
     * only on a TLS-protected connection unless the configuration explicitly allows otherwise.
     */
    boolean sendsPassword();

    /**
     * Whether a user whose stored password is {@code storedPassword} can authenticate with this
     * mechanism (CRAM-MD5 and SCRAM need a plaintext or a scheme-specific stored secret).
     */
    boolean usableWith(String storedPassword);

    /** A new exchange; {@code serverName} is the host name CRAM-MD5 puts in its challenge. */
    SaslExchange start(CredentialLookup credentials, String serverName);
}
