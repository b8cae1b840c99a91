package org.roost.mail.sort;

import java.util.List;
import org.roost.mail.mime.Address;
import org.roost.mail.mime.Envelope;
import org.roost.mail.mime.SearchText;

/**
 * The sort criteria whose value comes from a message's header (RFC 5256 §3, RFC 5957 §4), for
 * which a mailbox index keeps an order; ARRIVAL and SIZE come from the index's own columns.
 * A missing header is the empty string, which collates first (RFC 5256 §3).
 */
public enum SortField {
    /** Sent date (§2.2); its value is {@link SentDate}, not a string. */
    DATE,
    SUBJECT,
    FROM,
    TO,
    CC,
    DISPLAYFROM,
    DISPLAYTO;

    /** The collation key (i;unicode-casemap) of a string criterion; DATE has none. */
    public String key(Envelope envelope) {
        return switch (this) {
            case DATE -> throw new IllegalStateException("DATE is not a string criterion");
            case SUBJECT -> BaseSubject.of(decoded(envelope.subject())).text();
            case FROM -> Casemap.key(mailbox(envelope.from()));
            case TO -> Casemap.key(mailbox(envelope.to()));
            case CC -> Casemap.key(mailbox(envelope.cc()));
            case DISPLAYFROM -> Casemap.key(display(envelope.from()));
            case DISPLAYTO -> Casemap.key(display(envelope.to()));
        };
    }

    /** addr-mailbox of the first address (RFC 5256 §3). */
    private static String mailbox(List<Address> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            return "";
        }
        return decoded(addresses.getFirst().mailbox());
    }

    /** The DISPLAY sort value of the first address (RFC 5957 §3): its decoded name, else mailbox@host, else mailbox. */
    private static String display(List<Address> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            return "";
        }
        var first = addresses.getFirst();
        var name = decoded(first.name());
        if (!name.isEmpty()) {
            return name;
        }
        if (first.mailbox() != null && first.host() != null) {
            return decoded(first.mailbox()) + "@" + decoded(first.host());
        }
        return decoded(first.mailbox());
    }

    /** A raw header value decoded (RFC 2047 words, 8-bit UTF-8); null is the empty string. */
    public static String decoded(String raw) {
        return raw == null ? "" : SearchText.decodeHeader(raw);
    }
}
