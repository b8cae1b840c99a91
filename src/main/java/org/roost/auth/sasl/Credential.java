package org.roost.auth.sasl;

/** What a user's password is checked against: a stored hash here, or the user database itself. */
public sealed interface Credential {

    /** A stored {@code {SCHEME}value}, verified by Roost. */
    record Stored(String value) implements Credential {
        @Override
        public String toString() {
            return "Stored[hidden]";
        }
    }

    /**
     * A password only the user database can check (an LDAP bind as the user). Only mechanisms that receive the
     * password itself (PLAIN, LOGIN) can use it; CRAM-MD5 and SCRAM fail as for a wrong password.
     */
    record Remote(PasswordCheck check) implements Credential {}

    /** Checks a password at the database; throws a RuntimeException when the database cannot answer. */
    @FunctionalInterface
    interface PasswordCheck {
        boolean matches(byte[] password);
    }
}
