package org.roost.pop3;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.roost.auth.LoginAttempt;
import org.roost.auth.LoginWaits;
import org.roost.auth.SaslOutcome;
import org.roost.auth.password.Passwords;
import org.roost.auth.sasl.SaslMechanism;

/**
 * The AUTHORIZATION state's ways in: USER/PASS and APOP (RFC 1939 §7), AUTH (RFC 5034), and the
 * failure count that closes the connection after {@code limits.maxFailedLogins}, as IMAP does.
 */
final class Pop3Authentication {
    private static final System.Logger LOG = System.getLogger(Pop3Authentication.class.getName());
    static final String PLAINTEXT_DISALLOWED = "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Pop3Session session;
    private final String apopTimestamp;
    private String pendingUser;
    private int failures;

    Pop3Authentication(Pop3Session session) {
        this.session = session;
        var nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        this.apopTimestamp = "<" + HexFormat.of().formatHex(nonce) + "." + Instant.now().getEpochSecond()
                + "@" + session.context().serverName() + ">";
    }

    /** RFC 1939 §7: the msg-id in the greeting that APOP digests are computed over. */
    String apopTimestamp() {
        return apopTimestamp;
    }

    /** Password-revealing commands need TLS or a trusted network (RFC 2595 §2.3, RFC 5034 §4). */
    boolean plaintextAllowed() {
        var connection = session.connection();
        return connection.isTls() || session.context().isSecureNetwork(connection.remote().getAddress());
    }

    /** RFC 2595 §4: after STLS the server forgets what the client said before it. */
    void forgetClientState() {
        pendingUser = null;
    }

    Pop3Reply user(Pop3Command.User c) {
        if (!plaintextAllowed()) {
            return Pop3Reply.err("AUTH", PLAINTEXT_DISALLOWED);
        }
        pendingUser = c.user();
        return Pop3Reply.ok("");
    }

    Pop3Reply pass(Pop3Command.Pass c) throws IOException {
        if (!plaintextAllowed()) {
            return Pop3Reply.err("AUTH", PLAINTEXT_DISALLOWED);
        }
        if (pendingUser == null) {
            return Pop3Reply.err("No user name given: send USER first.");
        }
        var user = pendingUser;
        pendingUser = null;
        var result = session.context().authenticator()
                .login(session.protocolName(), remote(), waits(), user, c.password());
        boolean ok = result == LoginAttempt.Result.ACCEPTED;
        session.context().metrics().authAttempt(session.protocolName(), "USER", ok);
        if (result == LoginAttempt.Result.UNAVAILABLE) {
            return Pop3Reply.err("SYS/TEMP", "Temporary authentication failure.");
        }
        return ok ? session.loggedIn(user) : failure();
    }

    /** RFC 1939 §7: MD5 over the greeting's timestamp and the shared secret, which must be stored in plaintext. */
    Pop3Reply apop(Pop3Command.Apop c) throws IOException {
        pendingUser = null;
        var attempt = session.context().authenticator().attempt(session.protocolName(), remote(), waits());
        var result = attempt.checkStored(c.user(), stored -> {
            var secret = stored.flatMap(Passwords::plaintext);
            var expected = md5Hex(apopTimestamp, secret.orElse(new byte[0]));
            return secret.isPresent() && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    c.digest().getBytes(StandardCharsets.US_ASCII));
        });
        boolean ok = result == LoginAttempt.Result.ACCEPTED;
        session.context().metrics().authAttempt(session.protocolName(), "APOP", ok);
        if (result == LoginAttempt.Result.UNAVAILABLE) {
            return Pop3Reply.err("SYS/TEMP", "Temporary authentication failure.");
        }
        return ok ? session.loggedIn(c.user()) : failure();
    }

    Pop3Reply authenticate(Pop3Command.Auth c) throws IOException {
        pendingUser = null;
        if (c.mechanism().isEmpty()) {
            return listMechanisms();
        }
        if (!plaintextAllowed()) {
            return Pop3Reply.err("AUTH", PLAINTEXT_DISALLOWED);
        }
        var mechanism = session.context().mechanism(c.mechanism().get());
        if (mechanism.isEmpty()) {
            return Pop3Reply.err("Unsupported authentication mechanism.");
        }
        var context = session.context();
        var attempt = context.authenticator().attempt(session.protocolName(), remote(), waits());
        var exchange = attempt.start(mechanism.get(), context.serverName());
        var dialog = new Pop3SaslDialog(session.reader(), session.writer(), context.limits().maxLineLength());
        var name = mechanism.get().name();
        var outcome = dialog.run(exchange, c.initialResponse());
        attempt.finished(outcome);
        return switch (outcome) {
            case SaslOutcome.Cancelled x -> Pop3Reply.err("Authentication canceled.");
            case SaslOutcome.Malformed m -> Pop3Reply.err(m.reason());
            case SaslOutcome.Failed f -> {
                context.metrics().authAttempt(session.protocolName(), name, false);
                yield switch (f.failure().reason()) {
                    case UNAVAILABLE -> Pop3Reply.err("SYS/TEMP", f.failure().clientText() + ".");
                    case MALFORMED -> Pop3Reply.err(f.failure().clientText() + ".");
                    default -> failure();
                };
            }
            case SaslOutcome.Succeeded s -> {
                context.metrics().authAttempt(session.protocolName(), name, true);
                yield session.loggedIn(s.user());
            }
        };
    }

    /** The configured SASL mechanisms ({@code auth.mechanisms}) CAPA and a bare AUTH announce: none where plaintext is refused. */
    List<String> offeredMechanisms() {
        return plaintextAllowed() ? session.context().mechanisms().stream().map(SaslMechanism::name).toList() : List.of();
    }

    /** A bare "AUTH" lists the mechanisms (the pre-RFC 5034 form that Outlook and others still send). */
    private Pop3Reply listMechanisms() throws IOException {
        var writer = session.writer();
        writer.ok("");
        for (var name : offeredMechanisms()) {
            writer.dataLine(name);
        }
        writer.endMultiline();
        return Pop3Reply.sentOk();
    }

    private Pop3Reply failure() {
        failures++;
        LOG.log(Level.INFO, "session {0}: authentication failed from {1}", session.id(), session.connection().remote());
        if (failures >= session.context().limits().maxFailedLogins()) {
            session.context().authenticator().tooManyAttempts(session.protocolName());
            session.closeAfterReply();
            return Pop3Reply.err("AUTH", "Authentication failed; too many failures, closing the connection.");
        }
        return Pop3Reply.err("AUTH", "Authentication failed.");
    }

    /** Login penalties and turns are waits the server imposes: not idle time, and cut short by a kick. */
    private LoginWaits waits() {
        return wait -> session.imposedWait(wait::await);
    }

    private java.net.InetAddress remote() {
        return session.connection().remote().getAddress();
    }

    private static String md5Hex(String timestamp, byte[] secret) {
        try {
            var md5 = MessageDigest.getInstance("MD5");
            md5.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            md5.update(secret);
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
