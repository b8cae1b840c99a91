package org.roost.delivery;

/** Which users exist, as the user database says (the server wires the configured databases in). */
@FunctionalInterface
public interface KnownUsers {

    /** The database could not answer now (down, too slow): a temporary failure, never "no such user". */
    final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    boolean exists(String user) throws Unavailable;
}
