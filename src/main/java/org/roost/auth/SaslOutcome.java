package org.roost.auth;

import org.roost.auth.sasl.SaslStep;

/** How a SASL exchange carried by a protocol (IMAP AUTHENTICATE, POP3 AUTH) ended. */
public sealed interface SaslOutcome {
    record Succeeded(String user) implements SaslOutcome {}

    record Failed(SaslStep.Failure failure) implements SaslOutcome {}

    /** The credentials were right, but the user must log in at {@code referral}'s server (RFC 2221). */
    record Referred(String user, Referral referral) implements SaslOutcome {}

    /** The client sent "*". */
    record Cancelled() implements SaslOutcome {}

    /** The client's response was not valid base64, or the exchange ran too many rounds. */
    record Malformed(String reason) implements SaslOutcome {}
}
