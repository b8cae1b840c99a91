package org.roost.auth;

import java.time.Duration;

/** What the login path reports for metrics; the server wires it to its meter registry. */
public interface LoginEvents {
    /** A login attempt waited this long because of earlier failures (zero delays are reported too). */
    void penalty(String protocol, Duration delay);

    void failure(String protocol, FailureReason reason);

    LoginEvents NONE = new LoginEvents() {
        @Override
        public void penalty(String protocol, Duration delay) {}

        @Override
        public void failure(String protocol, FailureReason reason) {}
    };
}
