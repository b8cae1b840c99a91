package org.roost.auth;

/**
 * A user database could not answer: down, too slow, or it returned what cannot be a user. Logins answer
 * {@code NO [UNAVAILABLE]} / {@code -ERR [SYS/TEMP]}, never "wrong password", and nothing is cached. The message
 * names the database and the cause, never a password.
 */
public final class DatabaseUnavailable extends RuntimeException {
    public DatabaseUnavailable(String message) {
        super(message, null, false, false);
    }

    public DatabaseUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
