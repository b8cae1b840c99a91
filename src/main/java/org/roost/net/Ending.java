package org.roost.net;

/** Why the server ends (or refuses) a session: the protocol chooses its last words by it. */
public enum Ending {
    /** The client said nothing for too long (before login: the pre-auth deadline; after: the idle timeout). */
    INACTIVITY,
    /** The client broke the protocol beyond repair ({@link ProtocolViolation}). */
    VIOLATION,
    /** The server was told to end the session (admin kick, shutdown, too many failed logins). */
    TERMINATED,
    /** The connection is turned away before its session starts (connection caps). */
    REFUSED,
    /** A bug: the session cannot go on. */
    INTERNAL_ERROR
}
