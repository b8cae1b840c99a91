package org.roost.imap;

import java.io.IOException;
import org.roost.testing.TestServer;

/** Two new users of the shared test server, the owner with one message in INBOX, for the other users' namespace. */
abstract class SharingUsers {
    protected final TestServer server;
    protected final String owner;
    protected final String other;

    SharingUsers(String message) throws IOException {
        server = TestServer.shared();
        owner = server.newUser();
        other = server.newUser();
        server.deliver(owner, message);
    }

    /** The name the other user gives the owner's {@code mailbox}. */
    protected String shared(String mailbox) {
        return "Shared." + owner + "." + mailbox;
    }
}
