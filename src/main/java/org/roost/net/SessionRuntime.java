package org.roost.net;

import java.time.Duration;

/**
 * What the lifecycle of every protocol's sessions needs from the server.
 *
 * @param registry       every live session, for the admin API and the drain on shutdown
 * @param meter          counts open connections
 * @param preAuthTimeout time a client has to log in (time the server makes it wait not counted); null for a
 *                       protocol without a login, whose clients are trusted by where they connect from (LMTP)
 * @param idleTimeout    time a logged-in client (or one of a protocol without login) may stay silent
 */
public record SessionRuntime(SessionRegistry registry, SessionMeter meter, Duration preAuthTimeout, Duration idleTimeout) {

    /** For a protocol without a login: no pre-auth deadline, {@code idleTimeout} from the first byte. */
    public static SessionRuntime withoutLogin(SessionRegistry registry, SessionMeter meter, Duration idleTimeout) {
        return new SessionRuntime(registry, meter, null, idleTimeout);
    }

    boolean hasLogin() {
        return preAuthTimeout != null;
    }
}
