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
import org.roost.auth.SaslOutcome;
import org.roost.auth.password.Passwords;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.net.ProtocolViolation;
import org.roost.session.SaslChannel;

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
    /** How much of an overlong SASL response is skipped before the session gives up on it. */
    private final int maxLineLength;
    private String pendingUser;

    Pop3Authentication(Pop3Session session, String serverName, int maxLineLength) {
        this.session = session;
        this.maxLineLength = maxLineLength;
        var nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        this.apopTimestamp = "<" + HexFormat.of().formatHex(nonce) + "." + Instant.now().getEpochSecond()
                + "@" + serverName + ">";
    }

    /** RFC 1939 §7: the msg-id in the greeting that APOP digests are computed over. */
    String apopTimestamp() {
        return apopTimestamp;
    }

    /** Password-revealing commands need TLS or a trusted network (RFC 2595 §2.3, RFC 5034 §4). */
    boolean plaintextAllowed() {
        return session.logins().plaintextAllowed();
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
        return answer(session.logins().password("USER", user, c.password()), user);
    }

    /** RFC 1939 §7: MD5 over the greeting's timestamp and the shared secret, which must be stored in plaintext. */
    Pop3Reply apop(Pop3Command.Apop c) throws IOException {
        pendingUser = null;
        var result = session.logins().stored("APOP", c.user(), stored -> {
            var secret = stored.flatMap(Passwords::plaintext);
            var expected = md5Hex(apopTimestamp, secret.orElse(new byte[0]));
            return secret.isPresent() && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    c.digest().getBytes(StandardCharsets.US_ASCII));
        });
        return answer(result, c.user());
    }

    private Pop3Reply answer(LoginAttempt.Result result, String user) throws IOException {
        return switch (result) {
            case ACCEPTED -> session.loggedIn(user);
            case REJECTED, REFERRED -> failure(); // a login referral names an IMAP server: POP3 has none (RFC 2221)
            case UNAVAILABLE -> Pop3Reply.err("SYS/TEMP", "Temporary authentication failure.");
        };
    }

    Pop3Reply authenticate(Pop3Command.Auth c) throws IOException, ProtocolViolation {
        pendingUser = null;
        if (c.mechanism().isEmpty()) {
            return listMechanisms();
        }
        if (!plaintextAllowed()) {
            return Pop3Reply.err("AUTH", PLAINTEXT_DISALLOWED);
        }
        var outcome = session.logins().sasl(c.mechanism().get(), c.initialResponse(), channel());
        if (outcome.isEmpty()) {
            return Pop3Reply.err("Unsupported authentication mechanism.");
        }
        return switch (outcome.get()) {
            case SaslOutcome.Cancelled x -> Pop3Reply.err("Authentication canceled.");
            case SaslOutcome.Malformed m -> Pop3Reply.err(m.reason());
            case SaslOutcome.Failed f -> switch (f.failure().reason()) {
                case UNAVAILABLE -> Pop3Reply.err("SYS/TEMP", f.failure().clientText() + ".");
                case MALFORMED -> Pop3Reply.err(f.failure().clientText() + ".");
                default -> failure();
            };
            case SaslOutcome.Referred r -> failure();
            case SaslOutcome.Succeeded s -> session.loggedIn(s.user());
        };
    }

    /**
     * SASL over POP3 (RFC 5034 §4): challenges as "+ base64", responses as base64 lines, "*"
     * cancels. A mechanism's final server data travels as one more challenge answered with an
     * empty line, since POP3 has no data on success (RFC 4422 §3.6); the engine produces that form.
     */
    private SaslChannel channel() {
        return new SaslChannel() {
            @Override
            public void challenge(String base64) throws IOException {
                session.writer().challenge(base64).flush();
            }

            @Override
            public Response response() throws IOException {
                String line;
                try {
                    line = session.reader().line();
                } catch (Pop3LineReader.LineTooLongException e) {
                    session.reader().skipLine(maxLineLength);
                    return new Response.Malformed("Authentication response too long.");
                }
                if (line.equals("*")) {
                    return new Response.Cancel();
                }
                return Pop3CommandParser.base64(line).<Response>map(Response.Data::new)
                        .orElseGet(() -> new Response.Malformed("Invalid base64 data in the authentication response."));
            }
        };
    }

    /** The configured SASL mechanisms ({@code auth.mechanisms}) CAPA and a bare AUTH announce: none where plaintext is refused. */
    List<String> offeredMechanisms() {
        return plaintextAllowed() ? session.logins().mechanisms().stream().map(SaslMechanism::name).toList() : List.of();
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
        LOG.log(Level.INFO, "session {0}: authentication failed from {1}", session.id(), session.remote());
        if (session.logins().failed()) {
            session.closeAfterReply();
            return Pop3Reply.err("AUTH", "Authentication failed; too many failures, closing the connection.");
        }
        return Pop3Reply.err("AUTH", "Authentication failed.");
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
