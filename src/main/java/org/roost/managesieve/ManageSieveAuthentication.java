package org.roost.managesieve;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.roost.auth.SaslOutcome;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.net.ProtocolViolation;
import org.roost.session.Logins;
import org.roost.session.SaslChannel;

/**
 * AUTHENTICATE (RFC 5804 §2.1): SASL with the server's mechanisms, users and login penalties, challenges and
 * responses as strings on lines of their own, {@code "*"} to cancel, and the failure count that ends the session
 * with a BYE after {@code limits.maxFailedLogins}.
 */
final class ManageSieveAuthentication {
    private static final System.Logger LOG = System.getLogger(ManageSieveAuthentication.class.getName());
    private final ManageSieveSession session;
    private final Logins logins;

    ManageSieveAuthentication(ManageSieveSession session, Logins logins) {
        this.session = session;
        this.logins = logins;
    }

    /** SASL mechanisms that would send a password in the clear are offered only over TLS or from a secure network. */
    boolean plaintextAllowed() {
        return logins.plaintextAllowed();
    }

    /** The SASL capability's value: empty where the client must STARTTLS first (RFC 5804 §1.7). */
    List<String> offeredMechanisms() {
        return plaintextAllowed() ? logins.mechanisms().stream().map(SaslMechanism::name).toList() : List.of();
    }

    Reply authenticate(ManageSieveCommand.Authenticate command) throws IOException, ProtocolViolation {
        if (!plaintextAllowed()) {
            return Reply.no("ENCRYPT-NEEDED", "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
        }
        var outcome = logins.sasl(command.mechanism(), command.initialResponse(), channel());
        if (outcome.isEmpty()) {
            return Reply.no("Unsupported authentication mechanism.");
        }
        return switch (outcome.get()) {
            case SaslOutcome.Succeeded s -> session.loggedIn(s.user());
            case SaslOutcome.Referred r -> failure(); // the referral names an IMAP server, not a ManageSieve one
            case SaslOutcome.Cancelled c -> Reply.no("Authentication cancelled.");
            case SaslOutcome.Malformed m -> Reply.no(m.reason());
            case SaslOutcome.Failed f -> switch (f.failure().reason()) {
                case UNAVAILABLE -> Reply.no("TRYLATER", f.failure().clientText() + ".");
                case MALFORMED -> Reply.no(f.failure().clientText() + ".");
                default -> failure();
            };
        };
    }

    private Reply failure() {
        LOG.log(Level.INFO, "session {0}: authentication failed from {1}", session.id(), session.remote());
        if (logins.failed()) {
            return Reply.bye("Too many failed authentication attempts.");
        }
        return Reply.no("Authentication failed.");
    }

    /**
     * RFC 5804 §2.1: a challenge is a string (base64 of the SASL data) on a line of its own, and so is the answer;
     * the string "*" cancels. A mechanism's final server data comes as one more challenge, answered with an empty
     * string, as the RFC's second DIGEST-MD5 example does.
     */
    private SaslChannel channel() {
        return new SaslChannel() {
            @Override
            public void challenge(String base64) throws IOException {
                session.writer().stringLine(base64.getBytes(StandardCharsets.US_ASCII)).flush();
            }

            @Override
            public Response response() throws IOException, ProtocolViolation {
                var words = session.readResponse();
                if (words.error().isPresent()) {
                    return new Response.Malformed(words.error().get());
                }
                if (words.words().size() != 1 || !(words.words().getFirst() instanceof Word.Text text)) {
                    return new Response.Malformed("Expected one string as the authentication response.");
                }
                var answer = new String(text.bytes(), StandardCharsets.US_ASCII);
                if (answer.equals("*")) {
                    return new Response.Cancel();
                }
                return SaslChannel.base64(answer).<Response>map(Response.Data::new)
                        .orElseGet(() -> new Response.Malformed("Invalid base64 data in the authentication response."));
            }
        };
    }
}
