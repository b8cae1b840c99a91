package org.roost.imap;

import java.io.IOException;
import org.roost.auth.LoginAttempt;
import org.roost.auth.LoginWaits;
import org.roost.auth.SaslOutcome;

/** The not-authenticated state's commands: STARTTLS, LOGIN, AUTHENTICATE (RFC 3501 §6.2). */
final class Authentication {
    private final ImapSession session;
    private int failures;

    Authentication(ImapSession session) {
        this.session = session;
    }

    /** Plaintext credentials are accepted only over TLS or from {@code auth.secureNetworks} (RFC 8314 spirit). */
    boolean plaintextAllowed() {
        var connection = session.connection();
        return connection.isTls() || session.context().isSecureNetwork(connection.remote().getAddress());
    }

    /** RFC 3501 §6.2.1: the OK is sent in plaintext, then {@link #upgrade()} runs the handshake. */
    Reply startTls() {
        return session.connection().isTls() ? Reply.bad("TLS is already active.") : Reply.ok("Begin TLS negotiation now.");
    }

    /** Switches the connection to TLS; plaintext pipelined after STARTTLS is discarded with the old buffers. */
    void upgrade() throws IOException {
        session.connection().startTls(session.context().tls().get());
        session.attachStreams();
    }

    Reply login(Command.Login c) throws IOException {
        if (!plaintextAllowed()) {
            return Reply.no("PRIVACYREQUIRED", "Plaintext authentication is disallowed without TLS.");
        }
        var result = session.context().authenticator().login(session.protocolName(),
                session.connection().remote().getAddress(), waits(), c.user(), c.password());
        boolean ok = result == LoginAttempt.Result.ACCEPTED;
        session.context().metrics().authAttempt(session.protocolName(), "LOGIN", ok);
        if (result == LoginAttempt.Result.UNAVAILABLE) {
            return Reply.no("UNAVAILABLE", "Temporary authentication failure.");
        }
        return ok ? success(c.user()) : failure();
    }

    Reply authenticate(Command.Authenticate c) throws IOException, ProtocolViolation {
        if (!plaintextAllowed()) {
            return Reply.no("PRIVACYREQUIRED", "Authentication is disallowed without TLS.");
        }
        var mechanism = session.context().mechanism(c.mechanism());
        if (mechanism.isEmpty()) {
            return Reply.no("Unsupported authentication mechanism.");
        }
        var context = session.context();
        var attempt = context.authenticator()
                .attempt(session.protocolName(), session.connection().remote().getAddress(), waits());
        var exchange = attempt.start(mechanism.get(), context.serverName());
        var outcome = new SaslDialog(session.reader(), session.writer()).run(exchange, c.initialResponse());
        attempt.finished(outcome);
        return switch (outcome) {
            case SaslOutcome.Cancelled x -> Reply.bad("Authentication canceled.");
            case SaslOutcome.Malformed m -> Reply.bad(m.reason());
            case SaslOutcome.Failed f -> {
                context.metrics().authAttempt(session.protocolName(), c.mechanism(), false);
                yield switch (f.failure().reason()) {
                    case UNAVAILABLE -> Reply.no("UNAVAILABLE", f.failure().clientText());
                    case MALFORMED -> Reply.bad(f.failure().clientText());
                    default -> failure();
                };
            }
            case SaslOutcome.Succeeded s -> {
                context.metrics().authAttempt(session.protocolName(), c.mechanism(), true);
                yield success(s.user());
            }
        };
    }

    /** Login penalties and turns are waits the server imposes: not idle time, and cut short by a kick. */
    private LoginWaits waits() {
        return wait -> session.imposedWait(wait::await);
    }

    private Reply success(String user) throws IOException {
        session.loggedIn(user);
        return Reply.ok("CAPABILITY " + session.capabilities(), "Logged in");
    }

    private Reply failure() {
        failures++;
        if (failures >= session.context().limits().maxFailedLogins()) {
            session.context().authenticator().tooManyAttempts(session.protocolName());
            session.terminateAfterThisCommand("Too many invalid authentication attempts.");
        }
        return Reply.no("AUTHENTICATIONFAILED", "Authentication failed.");
    }
}
