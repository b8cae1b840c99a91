package org.roost.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Plugs a protocol into a listener: one session per connection, and the protocol's words for a refusal. */
public final class SessionHandler implements ConnectionHandler {
    /** Makes the session of one connection. */
    @FunctionalInterface
    public interface Sessions {
        ProtocolSession open(Connection connection);
    }

    private final Sessions sessions;
    private final Farewell farewell;

    public SessionHandler(Sessions sessions, Farewell farewell) {
        this.sessions = sessions;
        this.farewell = farewell;
    }

    @Override
    public void serve(Connection connection) {
        sessions.open(connection).run();
    }

    @Override
    public void refuse(Connection connection, String reason) {
        try {
            var line = farewell.line(Ending.REFUSED, reason) + "\r\n";
            connection.output().write(line.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the client is being turned away anyway
        }
    }
}
