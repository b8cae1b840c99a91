/**
 * A protocol-neutral SASL engine (RFC 4422) for IMAP AUTHENTICATE and POP3 AUTH: PLAIN, LOGIN, CRAM-MD5,
 * SCRAM-SHA-1/-256 and the OAuth 2.0 bearer-token mechanisms OAUTHBEARER (RFC 7628) and XOAUTH2.
 * The protocol layer picks a {@link org.roost.auth.sasl.SaslMechanism} from
 * {@link org.roost.auth.sasl.SaslMechanisms}, decodes base64, handles "*" cancels, and feeds the
 * decoded client data to a {@link org.roost.auth.sasl.SaslExchange}; the engine answers with a
 * {@link org.roost.auth.sasl.SaslStep} and never throws on client input.
 */
package org.roost.auth.sasl;
