package org.roost.net;

/** Where the session lifecycle reports open connections (for metrics); net knows nothing of the metrics library. */
@FunctionalInterface
public interface SessionMeter {
    /** A connection of {@code protocol} opened; the returned action counts it closed. */
    Runnable connectionOpened(String protocol, boolean tls);
}
