package org.roost.auth.sasl;

/** What the server answers after one step of a SASL exchange (RFC 4422 section 3). */
public sealed interface SaslStep {

    /** Send {@code data} to the client as a challenge (base64 in IMAP/POP3) and wait for its response. */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * The client authenticated as {@code user}. Carries no data: mechanisms with a final server message
     * (SCRAM) send it as a last challenge and succeed on the client's empty response, which is the form
     * RFC 4422 section 3.6 prescribes for protocols without data on success (POP3, IMAP).
     */
    record Success(String user) implements SaslStep {
    }

    /**
     * The exchange failed. Send {@link Reason#clientText()} to the client; {@code detail} is for server
     * logs only (it may say that the user is unknown, which clients must not learn; it never holds a password).
     */
    record Failure(Reason reason, String detail) implements SaslStep {

        public String clientText() {
            return reason.clientText();
        }
    }

    /** Failure classes a protocol may answer differently (IMAP: NO [AUTHENTICATIONFAILED], BAD, NO [AUTHORIZATIONFAILED], NO [UNAVAILABLE]). */
    enum Reason {
        /** Wrong password, unknown user, or a stored secret this mechanism cannot use: indistinguishable to clients. */
        CREDENTIALS("Authentication failed"),
        /** The client's message broke the mechanism's syntax or order. */
        MALFORMED("Invalid authentication exchange"),
        /** The client asked to act as a different identity (authzid), which is not allowed. */
        AUTHORIZATION("Not authorized to requested authorization identity"),
        /** The password database could not be read; the client may retry later (IMAP: NO [UNAVAILABLE]). */
        UNAVAILABLE("Temporary authentication failure");

        private final String clientText;

        Reason(String clientText) {
            this.clientText = clientText;
        }

        public String clientText() {
            return clientText;
        }
    }
}
