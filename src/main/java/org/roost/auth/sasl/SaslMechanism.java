package org.roost.auth.sasl;

/** A SASL mechanism, independent of the protocol carrying it. */
public interface SaslMechanism {
    String name();

    SaslExchange start(CredentialLookup credentials, String serverName);
}
