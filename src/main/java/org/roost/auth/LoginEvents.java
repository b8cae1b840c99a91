package org.roost.auth;

import java.time.Duration;

/** What the login path reports for metrics; the server wires it to its meter registry. */
public interface LoginEvents {
    /** A login attempt waited this long because of earlier failures from its address (zero delays are reported too). */
    void penalty(String protocol, Duration delay);

    void failure(String protocol, FailureReason reason);

    /**
     * An attempt was refused unchecked because its user's turns were taken and enough other addresses of its
     * kind ({@code cleanAddress}: with no remembered failure) waited already.
     */
    void userBusy(String protocol, boolean cleanAddress);

    LoginEvents NONE = new LoginEvents() {
        @Override
        public void penalty(String protocol, Duration delay) {}

        @Override
        public void failure(String protocol, FailureReason reason) {}

        @Override
        public void userBusy(String protocol, boolean cleanAddress) {}
    };
}
