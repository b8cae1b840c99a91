package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roost.imap.protocol.Login;
import org.roost.imap.protocol.response.Reply;

/**
 * LOGIN (RFC 3501 §6.2.3), refused where plaintext credentials are (LOGINDISABLED); a user database may
 * send the user to another server instead (LOGIN-REFERRALS, RFC 2221, see {@link LoginOutcome}).
 */
public final class LoginCommand extends CommandExecutor<Login> {

    public LoginCommand() {
        super(SessionState.NOT_AUTHENTICATED_ONLY, Map.of("LOGIN", Login.SYNTAX),
                List.of(Capability.beforeLogin("LOGINDISABLED", facts -> !facts.plaintextAllowed())));
    }

    @Override
    public Reply execute(Login command, CommandContext context) throws IOException {
        var logins = context.session().logins();
        if (!logins.plaintextAllowed()) {
            return Reply.no("PRIVACYREQUIRED", "Plaintext authentication is disallowed without TLS.");
        }
        return switch (logins.password("LOGIN", command.user(), command.password())) {
            case ACCEPTED -> LoginOutcome.loggedIn(context, command.user(), Optional.empty());
            case REFERRED -> LoginOutcome.referred(context, command.user(), Optional.empty());
            case REJECTED -> LoginOutcome.failed(context);
            case UNAVAILABLE -> Reply.no("UNAVAILABLE", "Temporary authentication failure.");
        };
    }
}
