package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roost.auth.SaslOutcome;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.imap.protocol.Authenticate;
import org.roost.imap.protocol.ImapParseException;
import org.roost.imap.protocol.response.Reply;
import org.roost.net.ProtocolViolation;
import org.roost.session.SaslChannel;

/**
 * AUTHENTICATE (RFC 3501 §6.2.2) with SASL-IR (RFC 4959): a SASL exchange over continuations,
 * with the mechanisms of {@code auth.mechanisms}, offered where plaintext credentials are allowed.
 */
public final class AuthenticateCommand extends CommandExecutor<Authenticate> {
    /** {@code mechanisms}: the ones of {@code auth.mechanisms}, advertised as AUTH=. */
    public AuthenticateCommand(List<SaslMechanism> mechanisms) {
        super(SessionState.NOT_AUTHENTICATED_ONLY, Map.of("AUTHENTICATE", Authenticate.SYNTAX), capabilities(mechanisms));
    }

    private static List<Capability> capabilities(List<SaslMechanism> mechanisms) {
        var capabilities = new ArrayList<Capability>();
        capabilities.add(Capability.always("SASL-IR"));
        mechanisms.forEach(m -> capabilities.add(Capability.beforeLogin("AUTH=" + m.name(), SessionFacts::plaintextAllowed)));
        return capabilities;
    }

    @Override
    public Reply execute(Authenticate command, CommandContext context) throws IOException, ProtocolViolation {
        var logins = context.session().logins();
        if (!logins.plaintextAllowed()) {
            return Reply.no("PRIVACYREQUIRED", "Authentication is disallowed without TLS.");
        }
        var outcome = logins.sasl(command.mechanism(), command.initialResponse(), channel(context));
        if (outcome.isEmpty()) {
            return Reply.no("Unsupported authentication mechanism.");
        }
        return switch (outcome.get()) {
            case SaslOutcome.Cancelled x -> Reply.bad("Authentication canceled.");
            case SaslOutcome.Malformed m -> Reply.bad(m.reason());
            case SaslOutcome.Failed f -> switch (f.failure().reason()) {
                case UNAVAILABLE -> Reply.no("UNAVAILABLE", f.failure().clientText());
                case MALFORMED -> Reply.bad(f.failure().clientText());
                default -> LoginOutcome.failed(context);
            };
            case SaslOutcome.Referred r -> LoginOutcome.referred(context, r.user(), Optional.of(command.mechanism()));
            case SaslOutcome.Succeeded s -> LoginOutcome.loggedIn(context, s.user(), Optional.of(command.mechanism()));
        };
    }

    /** SASL over IMAP continuations: "+ base64" challenges, base64 lines back, "*" cancels. */
    private static SaslChannel channel(CommandContext context) {
        return new SaslChannel() {
            @Override
            public void challenge(String base64) throws IOException {
                context.writer().continuation(base64).flush();
            }

            @Override
            public Response response() throws IOException, ProtocolViolation {
                var line = context.session().readLine();
                if (line.equals("*")) {
                    return new Response.Cancel();
                }
                try {
                    return new Response.Data(Authenticate.response(line));
                } catch (ImapParseException e) {
                    return new Response.Malformed(e.getMessage());
                }
            }
        };
    }
}
