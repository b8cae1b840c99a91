package org.roost.sieve;

import java.io.IOException;

/**
 * A change to a user's scripts that cannot be made, with the reason as ManageSieve's response codes name it
 * (RFC 5804 §1.3), so a protocol can answer with the code and the message as they are.
 */
public final class ScriptStoreException extends IOException {

    /** RFC 5804 §1.3 response codes; {@link #code()} is the text on the wire. */
    public enum Reason {
        NONEXISTENT("NONEXISTENT"),
        ACTIVE("ACTIVE"),
        ALREADY_EXISTS("ALREADYEXISTS"),
        TOO_MANY_SCRIPTS("QUOTA/MAXSCRIPTS"),
        TOO_LARGE("QUOTA/MAXSIZE");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public ScriptStoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
