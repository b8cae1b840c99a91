package org.roost.storage.mbox;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.roost.mail.Keywords;
import org.roost.mail.SystemFlag;

/**
 * The bookkeeping headers UW-IMAP, Dovecot and Roost keep in an mbox message, as read from the file.
 * The first occurrence of each field counts (Roost writes its block where the first one was, so its
 * values come first). Values are checked: a number out of range, a keyword that is no atom, an
 * unknown status letter are ignored, never thrown.
 *
 * <ul>
 * <li>{@code X-IMAPbase: <uidvalidity> <last uid> [keyword ...]} in the first message (or {@code X-IMAP:}
 *     in UW-IMAP's pseudo-message, which clients never see);</li>
 * <li>{@code X-UID: <uid>};</li>
 * <li>{@code Status:} R = \Seen, O = no longer \Recent; {@code X-Status:} A = \Answered,
 *     F = \Flagged, T = \Draft, D = \Deleted (UW-IMAP's and Dovecot's letters);</li>
 * <li>{@code X-Keywords: <keyword> ...} (only names the mailbox's {@code X-IMAPbase} lists count);</li>
 * <li>{@code Content-Length:} the body's length in bytes, trusted only when another message (or the
 *     end of the file) starts right after it.</li>
 * </ul>
 */
final class Metadata {
    static final long MAX_UID = 0xFFFF_FFFFL;

    /** {@code X-IMAPbase}/{@code X-IMAP}: what the file says of the mailbox. */
    record Base(long uidValidity, long lastUid, List<String> keywords, boolean pseudo) {
        Base {
            keywords = List.copyOf(keywords);
        }
    }

    Base base;
    long uid = -1;
    String status;
    String xStatus;
    List<String> keywords;
    long contentLength = -1;

    /** Takes one header field (name as written, value without the line end, continuation lines joined). */
    void field(String name, String value) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "x-imapbase" -> base = base != null ? base : parseBase(value, false);
            case "x-imap" -> base = base != null ? base : parseBase(value, true);
            case "x-uid" -> uid = uid >= 0 ? uid : number(value.strip(), MAX_UID);
            case "status" -> status = status != null ? status : value.strip();
            case "x-status" -> xStatus = xStatus != null ? xStatus : value.strip();
            case "x-keywords" -> keywords = keywords != null ? keywords : words(value);
            case "content-length" -> contentLength = contentLength >= 0 ? contentLength
                    : number(value.strip(), Long.MAX_VALUE / 4);
            default -> { }
        }
    }

    /** The system flags the status headers give. */
    Set<SystemFlag> flags() {
        var flags = EnumSet.noneOf(SystemFlag.class);
        if (status != null && status.indexOf('R') >= 0) {
            flags.add(SystemFlag.SEEN);
        }
        if (xStatus != null) {
            for (char c : xStatus.toCharArray()) {
                switch (c) {
                    case 'A' -> flags.add(SystemFlag.ANSWERED);
                    case 'F' -> flags.add(SystemFlag.FLAGGED);
                    case 'T' -> flags.add(SystemFlag.DRAFT);
                    case 'D' -> flags.add(SystemFlag.DELETED);
                    default -> { }
                }
            }
        }
        return flags;
    }

    /** Status O: the message was seen by a mail program before (mutt shows "O" instead of "N"). */
    boolean old() {
        return status != null && status.indexOf('O') >= 0;
    }

    /** The message's keywords among those the mailbox lists (a sender's own X-Keywords mean nothing). */
    Set<String> keywords(List<String> listed) {
        if (keywords == null || keywords.isEmpty()) {
            return Set.of();
        }
        var out = new LinkedHashSet<String>();
        for (var keyword : keywords) {
            if (listed.contains(keyword)) {
                out.add(keyword);
            }
        }
        return out;
    }

    private static Base parseBase(String value, boolean pseudo) {
        var words = value.strip().split("[ \t]+");
        if (words.length < 2) {
            return null;
        }
        long validity = number(words[0], MAX_UID);
        long last = number(words[1], MAX_UID);
        if (validity <= 0 || last < 0) {
            return null;
        }
        var keywords = new ArrayList<String>();
        for (int i = 2; i < words.length; i++) {
            if (Keywords.isValid(words[i]) && !keywords.contains(words[i])) {
                keywords.add(words[i]);
            }
        }
        return new Base(validity, last, keywords, pseudo);
    }

    private static List<String> words(String value) {
        var out = new ArrayList<String>();
        for (var word : value.strip().split("[ \t,]+")) {
            if (Keywords.isValid(word)) {
                out.add(word);
            }
        }
        return out;
    }

    /** A decimal number of at most 18 digits not above {@code max}, or -1. */
    static long number(String text, long max) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }
}
