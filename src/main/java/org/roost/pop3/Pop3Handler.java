package org.roost.pop3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;

/** Plugs POP3 into a listener: one {@link Pop3Session} per connection. */
public final class Pop3Handler implements ConnectionHandler {
    private final Pop3Context context;
    private final String protocol;

    /** {@code protocol} is the metrics label: "pop3" or "pop3s". */
    public Pop3Handler(Pop3Context context, String protocol) {
        this.context = context;
        this.protocol = protocol;
    }

    @Override
    public void serve(Connection connection) {
        new Pop3Session(context, connection, protocol).run();
    }

    @Override
    public void refuse(Connection connection, String reason) {
        try {
            connection.output().write(("-ERR [SYS/TEMP] " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the client is being turned away anyway
        }
    }
}
