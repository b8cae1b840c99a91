package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ENVELOPE data (RFC 3501 §7.4.2). String fields are the raw, unfolded header values (one char per
 * byte, CRLF of folds kept; the formatter cleans them for the wire), null when the header is absent.
 * Address lists are null when the header is absent or holds no address. {@code sender} and
 * {@code replyTo} already default to {@code from} as RFC 3501 requires.
 */
public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                       List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                       String inReplyTo, String messageId) {

    public static final Envelope EMPTY = new Envelope(null, null, null, null, null, null, null, null, null, null);

    /**
     * Builds the envelope from a message's header fields. Like Dovecot 2.3, a repeated address
     * header adds its addresses to the list, a repeated string header replaces the earlier value.
     */
    static Envelope of(List<HeaderField> fields) {
        String date = null;
        String subject = null;
        String inReplyTo = null;
        String messageId = null;
        List<Address> from = null;
        List<Address> sender = null;
        List<Address> replyTo = null;
        List<Address> to = null;
        List<Address> cc = null;
        List<Address> bcc = null;
        for (HeaderField f : fields) {
            if (f.value() == null) {
                continue;
            }
            switch (f.name().toLowerCase(Locale.ROOT)) {
                case "date" -> date = noNul(f.value());
                case "subject" -> subject = noNul(f.value());
                case "in-reply-to" -> inReplyTo = noNul(f.value());
                case "message-id" -> messageId = noNul(f.value());
                case "from" -> from = append(from, f.value());
                case "sender" -> sender = append(sender, f.value());
                case "reply-to" -> replyTo = append(replyTo, f.value());
                case "to" -> to = append(to, f.value());
                case "cc" -> cc = append(cc, f.value());
                case "bcc" -> bcc = append(bcc, f.value());
                default -> {
                    // not an envelope field
                }
            }
        }
        return new Envelope(date, subject, from, sender == null ? from : sender,
                replyTo == null ? from : replyTo, to, cc, bcc, inReplyTo, messageId);
    }

    /** NUL cannot travel in an IMAP string; Dovecot shows U+FFFD instead. */
    static String noNul(String value) {
        return value.indexOf('\0') < 0 ? value : value.replace("\0", HeaderParser.REPLACEMENT);
    }

    private static List<Address> append(List<Address> list, String value) {
        List<Address> parsed = AddressParser.parse(value);
        if (list == null) {
            return parsed;
        }
        if (parsed == null) {
            return list;
        }
        List<Address> all = new ArrayList<>(list);
        all.addAll(parsed);
        return List.copyOf(all);
    }
}
