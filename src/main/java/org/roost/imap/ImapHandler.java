package org.roost.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;

/** Plugs IMAP into a listener: one {@link ImapSession} per connection. */
public final class ImapHandler implements ConnectionHandler {
    private final ImapContext context;
    private final String protocol;

    /** {@code protocol} is the metrics label: "imap" or "imaps". */
    public ImapHandler(ImapContext context, String protocol) {
        this.context = context;
        this.protocol = protocol;
    }

    @Override
    public void serve(Connection connection) {
        new ImapSession(context, connection, protocol).run();
    }

    @Override
    public void refuse(Connection connection, String reason) {
        try {
            connection.output().write(("* BYE " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the client is being turned away anyway
        }
    }
}
