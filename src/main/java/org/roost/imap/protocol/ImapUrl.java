package org.roost.imap.protocol;

import java.util.OptionalLong;

/**
 * An IMAP URL of a message or message part, as CATENATE's {@code URL} parts (RFC 4469 §3) and URLFETCH (RFC 4467
 * §7) take it: {@link Relative} to the session's server and user, an absolute {@link Authorized} URL carrying a
 * URLAUTH, or anything else, {@link Invalid}: still an argument the command carries (answered {@code NO [BADURL]}
 * or NIL), never BAD.
 */
public sealed interface ImapUrl {
    /** The URL as the client sent it (echoed in {@code [BADURL ...]} and URLFETCH). */
    String text();

    /**
     * RFC 5092 {@code imessagepart}: a part of a message of a mailbox; {@code section} is empty for the whole
     * message, {@code length} -1 for everything from {@code offset}.
     */
    record MessagePart(MailboxName mailbox, OptionalLong uidValidity, long uid, FetchItem.Section section,
            long offset, long length) {}

    /** {@code /mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]}: a part of one of the user's own. */
    record Relative(String text, MessagePart part) implements ImapUrl {}

    /**
     * {@code authimapurlfull} (RFC 4467 §9): its {@code rump} (the URL up to and with the access identifier,
     * which the token authorizes), then {@code ":" mechanism ":" token}; the token in lower case.
     */
    record Authorized(String text, UrlRump rump, String mechanism, String token) implements ImapUrl {}

    record Invalid(String text) implements ImapUrl {}

    /** Parses a URL; {@code settings} bound its length and a section's header field list (as FETCH's). */
    static ImapUrl parse(String text, ParserSettings settings) {
        return UrlGrammar.url(text, settings);
    }
}
