package org.roost.imap.command;

import java.io.IOException;
import java.util.Optional;
import org.roost.imap.protocol.response.Reply;

/**
 * How LOGIN and AUTHENTICATE end: logged in with the new capabilities, a counted failure, or a login referral
 * (RFC 2221 §4.1) to the server the user database names.
 */
final class LoginOutcome {
    private LoginOutcome() {}

    /**
     * RFC 3501 §6.2.3: the OK carries the capabilities after login, so the client need not ask; a user whose
     * database suggests another server gets {@code OK [REFERRAL url]} instead (RFC 2221 §4.1), one code being
     * all an OK holds. {@code mechanism}: AUTHENTICATE's, for the URL's {@code ;AUTH=}.
     */
    static Reply loggedIn(CommandContext context, String user, Optional<String> mechanism) throws IOException {
        context.session().loggedIn(user);
        var referral = context.session().logins().referral();
        if (referral.isPresent()) {
            return Reply.ok("REFERRAL " + referral.get().url(user, mechanism), referral.get().reason());
        }
        return Reply.ok(context.session().capabilityData(), "Logged in");
    }

    /**
     * RFC 2221 §4.1: the credentials were right, but the user's mail is on another server, and they may not
     * log in here. Counted as a failed login, so a client that keeps trying is closed as any other.
     */
    static Reply referred(CommandContext context, String user, Optional<String> mechanism) {
        var referral = context.session().logins().referral().orElseThrow();
        if (context.session().logins().failed()) {
            context.session().endAfterCommand("Too many invalid authentication attempts.");
        }
        return Reply.no("REFERRAL " + referral.url(user, mechanism), referral.reason());
    }

    /** After {@code limits.maxFailedLogins} failures the session ends with BYE. */
    static Reply failed(CommandContext context) {
        if (context.session().logins().failed()) {
            context.session().endAfterCommand("Too many invalid authentication attempts.");
        }
        return Reply.no("AUTHENTICATIONFAILED", "Authentication failed.");
    }
}
