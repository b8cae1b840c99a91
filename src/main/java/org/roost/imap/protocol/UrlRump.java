package org.roost.imap.protocol;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code authimapurlrump} (RFC 4467 §9): {@code imap://owner@host/imessagepart[;EXPIRE=date-time];URLAUTH=access},
 * what GENURLAUTH authorizes. {@code text} is the URL exactly as sent: the token is computed over it, without
 * decoding or case folding (§6); the other components are decoded (user names as UTF-8, RFC 3986 §2.1).
 */
public record UrlRump(String text, String owner, ImapUrl.MessagePart part, Optional<Instant> expire, Access access) {

    /** Who may use the URL (RFC 4467 §3). */
    public sealed interface Access {}

    /** {@code submit+user}: a session authorized as a message submission entity, acting for {@code user}. */
    public record Submit(String user) implements Access {}

    /** {@code user+user}: a session logged in as {@code user}. */
    public record User(String user) implements Access {}

    /** {@code authuser}: any logged-in session. */
    public record AuthUser() implements Access {}

    /** {@code anonymous}: any session that may issue URLFETCH. */
    public record Anonymous() implements Access {}

    /**
     * Parses a rump; empty for anything else (a full URL with a token, a relative URL, no access identifier, a URL
     * longer than {@link ParserSettings#maxUrlLength()}).
     */
    public static Optional<UrlRump> parse(String text, ParserSettings settings) {
        return UrlGrammar.rump(text, settings);
    }

    /** What is missing or wrong in a URL that is not a rump, for GENURLAUTH's BAD (RFC 4467 §7 examples). */
    public static String problem(String text, ParserSettings settings) {
        return UrlGrammar.rumpProblem(text, settings);
    }
}
