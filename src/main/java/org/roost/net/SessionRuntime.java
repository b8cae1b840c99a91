package org.roost.net;

import java.time.Duration;

/**
 * What the lifecycle of every protocol's sessions needs from the server.
 *
 * @param registry       every live session, for the admin API and the drain on shutdown
 * @param meter          counts open connections
 * @param preAuthTimeout time a client has to log in (time the server makes it wait not counted)
 * @param idleTimeout    time a logged-in client may stay silent
 */
public record SessionRuntime(SessionRegistry registry, SessionMeter meter, Duration preAuthTimeout, Duration idleTimeout) {}
