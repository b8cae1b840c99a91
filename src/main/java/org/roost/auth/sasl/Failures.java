package org.roost.auth.sasl;

import org.roost.auth.sasl.SaslStep.Failure;
import org.roost.auth.sasl.SaslStep.Reason;

/** Shorthands for the three kinds of failure. */
final class Failures {

    private Failures() {
    }

    static Failure credentials(String detail) {
        return new Failure(Reason.CREDENTIALS, detail);
    }

    static Failure malformed(String detail) {
        return new Failure(Reason.MALFORMED, detail);
    }

    static Failure authorization(String detail) {
        return new Failure(Reason.AUTHORIZATION, detail);
    }
}
