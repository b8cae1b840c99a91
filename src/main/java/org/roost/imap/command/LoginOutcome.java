package org.roost.imap.command;

import java.io.IOException;
import org.roost.imap.protocol.response.Reply;

/** How LOGIN and AUTHENTICATE end: logged in with the new capabilities, or a counted failure. */
final class LoginOutcome {
    private LoginOutcome() {}

    /** RFC 3501 §6.2.3: the OK carries the capabilities after login, so the client need not ask. */
    static Reply loggedIn(CommandContext context, String user) throws IOException {
        context.session().loggedIn(user);
        return Reply.ok(context.session().capabilityData(), "Logged in");
    }

    /** After {@code limits.maxFailedLogins} failures the session ends with BYE. */
    static Reply failed(CommandContext context) {
        if (context.session().logins().failed()) {
            context.session().endAfterCommand("Too many invalid authentication attempts.");
        }
        return Reply.no("AUTHENTICATIONFAILED", "Authentication failed.");
    }
}
