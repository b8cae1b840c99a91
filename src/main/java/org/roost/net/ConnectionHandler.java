package org.roost.net;

/** A protocol's side of a connection: serve it until the end, or refuse it with the protocol's own words. */
public interface ConnectionHandler {
    /** Runs the whole session on the calling (virtual) thread; returns when the connection is done. */
    void serve(Connection connection);

    /** Tells the client why it is turned away (e.g. "* BYE Too many connections"); the caller closes. */
    void refuse(Connection connection, String reason);
}
