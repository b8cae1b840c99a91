package org.roost.auth;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A login referral (RFC 2221): the IMAP server a user's mail lives on, from the user database's fields as
 * Dovecot names them: {@code host} (required), {@code port} (default 143), {@code destuser} (the name to log
 * in with there; default the name the client sent) and {@code reason} (the answer's text). With
 * {@code nologin} the referral is {@link #required}: the user is refused here once the password is right
 * ({@code NO [REFERRAL ...]}); without it the user is logged in and told of the other server
 * ({@code OK [REFERRAL ...]}). A {@code host} that is no host name or IP address, a {@code port} that is no
 * port or an empty or overlong {@code destuser} gives no referral (logged), so a {@code nologin} user is then
 * simply refused.
 */
public record Referral(String host, int port, Optional<String> user, String reason, boolean required) {
    private static final System.Logger LOG = System.getLogger(Referral.class.getName());
    /** IMAP's port (RFC 5092 §3.2: left out of the URL). */
    public static final int IMAP_PORT = 143;
    /** The longest reason sent; the rest of a longer one is cut. */
    static final int MAX_REASON = 200;
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int MAX_USER = 255;
    private static final String HEX = "0123456789ABCDEF";

    /** The referral {@code fields} (a user's extra fields) describe; {@code nologin} makes it required. */
    static Optional<Referral> of(Map<String, String> fields, boolean nologin) {
        var host = fields.get("host");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        var literal = hostLiteral(host.strip());
        var port = port(fields.getOrDefault("port", ""));
        var user = Optional.ofNullable(fields.get("destuser"));
        if (literal.isEmpty() || port < 0 || user.filter(u -> u.isEmpty() || u.length() > MAX_USER).isPresent()) {
            LOG.log(Level.WARNING, "login referral ignored: host ''{0}'', port ''{1}'' or destuser is not usable",
                    LogText.printable(host), LogText.printable(fields.getOrDefault("port", "")));
            return Optional.empty();
        }
        var reason = Optional.ofNullable(fields.get("reason")).map(Referral::text).filter(r -> !r.isBlank())
                .orElse(nologin ? "Try this server instead." : "Logged in, but you should use this server instead.");
        return Optional.of(new Referral(literal.get(), port, user, reason, nologin));
    }

    /**
     * The IMAP URL of the user's server (RFC 2221 §4.1, RFC 5092 §3): {@code imap://user[;AUTH=mech]@host[:port]/},
     * the user being {@code destuser} or else {@code loginUser}, percent-encoded; {@code mechanism} is the SASL
     * mechanism of AUTHENTICATE, empty for LOGIN.
     */
    public String url(String loginUser, Optional<String> mechanism) {
        var url = new StringBuilder("imap://").append(encoded(user.orElse(loginUser)));
        mechanism.ifPresent(m -> url.append(";AUTH=").append(encoded(m.toUpperCase(Locale.ROOT))));
        url.append('@').append(host);
        if (port != IMAP_PORT) {
            url.append(':').append(port);
        }
        return url.append('/').toString();
    }

    private static Optional<String> hostLiteral(String host) {
        if (HOST_NAME.matcher(host).matches()) {
            return Optional.of(host);
        }
        var bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.indexOf(':') >= 0 && IPV6.matcher(bare).matches() ? Optional.of("[" + bare + "]") : Optional.empty();
    }

    private static int port(String text) {
        if (text.isBlank()) {
            return IMAP_PORT;
        }
        try {
            int port = Integer.parseInt(text.strip());
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A reason as IMAP's text (TEXT-CHAR, RFC 3501 §9): one line of printable US-ASCII, white space as single
     * spaces, anything else as '?', at most {@link #MAX_REASON} of it.
     */
    private static String text(String reason) {
        var text = new StringBuilder();
        reason.codePoints().limit(MAX_REASON).forEach(c -> text.append(Character.isWhitespace(c) ? ' '
                : c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return text.toString().replaceAll(" {2,}", " ").strip();
    }

    /** RFC 5092's achar: unreserved characters stay, every other byte of the UTF-8 form is %XX. */
    private static String encoded(String value) {
        var out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return out.toString();
    }
}
