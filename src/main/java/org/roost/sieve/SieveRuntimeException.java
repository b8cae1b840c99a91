package org.roost.sieve;

/** A run that cannot go on (a limit passed, an include missing): the message is kept in INBOX instead. */
final class SieveRuntimeException extends Exception {
    SieveRuntimeException(String message) {
        super(message, null, false, false);
    }
}
