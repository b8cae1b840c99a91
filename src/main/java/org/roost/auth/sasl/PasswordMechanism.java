package org.roost.auth.sasl;

/** A mechanism in which the client sends the password itself (PLAIN, LOGIN): usable with any stored password. */
abstract class PasswordMechanism implements SaslMechanism {

    @Override
    public final boolean sendsPassword() {
        return true;
    }

    @Override
    public final boolean usableWith(String storedPassword) {
        return true;
    }
}
