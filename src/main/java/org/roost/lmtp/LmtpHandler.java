package org.roost.lmtp;

import java.io.IOException;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;

/** Plugs LMTP into a listener (TCP or UNIX socket): one {@link LmtpSession} per connection. */
public final class LmtpHandler implements ConnectionHandler {
    private final LmtpContext context;

    public LmtpHandler(LmtpContext context) {
        this.context = context;
    }

    @Override
    public void serve(Connection connection) {
        new LmtpSession(context, connection).run();
    }

    @Override
    public void refuse(Connection connection, String reason) {
        try {
            connection.output().write(LmtpReply.of(421, "4.7.0", context.hostname() + " " + reason).bytes());
        } catch (IOException ignored) {
            // the client is being turned away anyway
        }
    }
}
