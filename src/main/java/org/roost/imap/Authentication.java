package org.roost.imap;

import java.io.IOException;
import org.roost.auth.LoginAttempt;
import org.roost.auth.SaslOutcome;
import org.roost.net.ProtocolViolation;
import org.roost.session.SaslChannel;

/** The not-authenticated state's commands: STARTTLS, LOGIN, AUTHENTICATE (RFC 3501 §6.2). */
final class Authentication {
    private final ImapSession session;

    Authentication(ImapSession session) {
        this.session = session;
    }

    /** RFC 3501 §6.2.1: the OK is sent in plaintext, then {@link #upgrade()} runs the handshake. */
    Reply startTls() {
        return session.connection().isTls() ? Reply.bad("TLS is already active.") : Reply.ok("Begin TLS negotiation now.");
    }

    /** Switches the connection to TLS; plaintext pipelined after STARTTLS is discarded with the old buffers. */
    void upgrade() throws IOException {
        session.connection().startTls(session.context().services().tls().get());
        session.attachStreams();
    }

    Reply login(Command.Login c) throws IOException {
        var logins = session.logins();
        if (!logins.plaintextAllowed()) {
            return Reply.no("PRIVACYREQUIRED", "Plaintext authentication is disallowed without TLS.");
        }
        var result = logins.password("LOGIN", c.user(), c.password());
        if (result == LoginAttempt.Result.UNAVAILABLE) {
            return Reply.no("UNAVAILABLE", "Temporary authentication failure.");
        }
        return result == LoginAttempt.Result.ACCEPTED ? success(c.user()) : failure();
    }

    Reply authenticate(Command.Authenticate c) throws IOException, ProtocolViolation {
        var logins = session.logins();
        if (!logins.plaintextAllowed()) {
            return Reply.no("PRIVACYREQUIRED", "Authentication is disallowed without TLS.");
        }
        var outcome = logins.sasl(c.mechanism(), c.initialResponse(), channel());
        if (outcome.isEmpty()) {
            return Reply.no("Unsupported authentication mechanism.");
        }
        return switch (outcome.get()) {
            case SaslOutcome.Cancelled x -> Reply.bad("Authentication canceled.");
            case SaslOutcome.Malformed m -> Reply.bad(m.reason());
            case SaslOutcome.Failed f -> switch (f.failure().reason()) {
                case UNAVAILABLE -> Reply.no("UNAVAILABLE", f.failure().clientText());
                case MALFORMED -> Reply.bad(f.failure().clientText());
                default -> failure();
            };
            case SaslOutcome.Succeeded s -> success(s.user());
        };
    }

    /** SASL over IMAP continuations (RFC 3501 §6.2.2, RFC 4959): "*" cancels, "=" is an empty response. */
    private SaslChannel channel() {
        return new SaslChannel() {
            @Override
            public void challenge(String base64) throws IOException {
                session.writer().continuation(base64).flush();
            }

            @Override
            public Response response() throws IOException, ProtocolViolation {
                var line = session.reader().line();
                if (line.equals("*")) {
                    return new Response.Cancel();
                }
                try {
                    return new Response.Data(CommandParser.saslResponse(line));
                } catch (ImapParseException e) {
                    return new Response.Malformed(e.getMessage());
                }
            }
        };
    }

    private Reply success(String user) throws IOException {
        session.loggedIn(user);
        return Reply.ok("CAPABILITY " + session.capabilities(), "Logged in");
    }

    private Reply failure() {
        if (session.logins().failed()) {
            session.terminateAfterThisCommand("Too many invalid authentication attempts.");
        }
        return Reply.no("AUTHENTICATIONFAILED", "Authentication failed.");
    }
}
