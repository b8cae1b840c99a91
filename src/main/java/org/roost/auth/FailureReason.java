package org.roost.auth;

import java.util.Locale;

/** Why a login failed, for metrics and server logs only: clients get one answer for all of them. */
public enum FailureReason {
    /** The password did not match a known user's stored password. */
    PASSWORD,
    /** No database knows the user. */
    UNKNOWN_USER,
    /** The user is known but may not log in ({@code nologin}, locked or expired system account). */
    NOLOGIN,
    /** The password was right, but the user must log in at another server (nologin with a login referral). */
    REFERRED,
    /** The user is known but {@code allow_nets} does not include the client's address. */
    NETWORK,
    /** An OAuth 2.0 token was expired, forged, meant for another audience, or named someone else. */
    TOKEN,
    /** The client asked to act as someone else (SASL authzid). */
    AUTHORIZATION,
    /** The client broke the mechanism's syntax. */
    MALFORMED,
    /** A user database or token service could not answer (down, too slow, nonsense). */
    UNAVAILABLE,
    /** Refused at once, unchecked: the user's turns were taken and too many other addresses waited for one. */
    USER_BUSY,
    /** The session ended (kick, shutdown) while the attempt waited; nothing was checked. */
    ABORTED,
    /** The connection used up its failed attempts and was closed. */
    TOO_MANY_ATTEMPTS;

    /** Whether a password (or the user's right to log in) was tested: only such failures earn a penalty. */
    public boolean testedCredentials() {
        return switch (this) {
            case PASSWORD, TOKEN, UNKNOWN_USER, NOLOGIN, NETWORK, AUTHORIZATION -> true;
            case REFERRED, MALFORMED, UNAVAILABLE, USER_BUSY, ABORTED, TOO_MANY_ATTEMPTS -> false;
        };
    }

    /** The metric label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
