package org.roost.imap.protocol.response;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.roost.imap.protocol.response.ImapWriter.Status;
import org.roost.mail.UidSet;

/**
 * The untagged data that describe the selected mailbox (RFC 3501 §7.2.6, §7.3, §7.4.1, §7.1): what
 * SELECT reports, and the size and flag updates a session is told of at command ends and in IDLE.
 */
public final class MailboxResponses {
    /** Ranges per VANISHED line: a superset over a large mailbox stays within what clients read as one line. */
    private static final int RANGES_PER_LINE = 1000;

    private MailboxResponses() {}

    /** {@code * FLAGS (...)}: the system flags and {@code keywords}. */
    public static void flags(ImapWriter writer, Set<String> keywords) throws IOException {
        writer.untagged("FLAGS " + flagList(keywords));
    }

    /** {@code * OK [PERMANENTFLAGS (... \*)]}, or {@code ()} for a read-only mailbox. */
    public static void permanentFlags(ImapWriter writer, Set<String> keywords, boolean readOnly) throws IOException {
        if (readOnly) {
            writer.untaggedStatus(Status.OK, "PERMANENTFLAGS ()", "Read-only mailbox.");
            return;
        }
        var list = flagList(keywords);
        writer.untaggedStatus(Status.OK, "PERMANENTFLAGS " + list.substring(0, list.length() - 1) + " \\*)",
                "Flags permitted.");
    }

    /**
     * {@code * OK [PERMANENTFLAGS (...)]} naming only what the user's rights let them change (RFC 4314 §5.1.1):
     * {@code systemFlags} (IMAP names), and the keywords and {@code \*} when {@code keywordsToo}.
     */
    public static void permanentFlags(ImapWriter writer, Set<String> systemFlags, Set<String> keywords,
            boolean keywordsToo) throws IOException {
        var names = new StringBuilder();
        for (var flag : new String[] {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"}) {
            if (systemFlags.contains(flag)) {
                names.append(names.isEmpty() ? "" : " ").append(flag);
            }
        }
        if (keywordsToo) {
            new TreeSet<>(keywords).forEach(k -> names.append(names.isEmpty() ? "" : " ").append(k));
            names.append(names.isEmpty() ? "" : " ").append("\\*");
        }
        writer.untaggedStatus(Status.OK, "PERMANENTFLAGS (" + names + ")", "Flags permitted.");
    }

    public static void exists(ImapWriter writer, int count) throws IOException {
        writer.untagged(count + " EXISTS");
    }

    public static void recent(ImapWriter writer, int count) throws IOException {
        writer.untagged(count + " RECENT");
    }

    public static void expunge(ImapWriter writer, int seq) throws IOException {
        writer.untagged(seq + " EXPUNGE");
    }

    /**
     * {@code * VANISHED [(EARLIER)] uids} (RFC 7162 §3.2.10), nothing for no UID. Long sets are cut into
     * lines of at most {@link #RANGES_PER_LINE} ranges, each a VANISHED response of its own.
     */
    public static void vanished(ImapWriter writer, boolean earlier, UidSet uids) throws IOException {
        var buffer = new ResponseBuffer(writer.stream());
        for (int from = 0; from < uids.ranges(); from += RANGES_PER_LINE) {
            buffer.ascii(earlier ? "* VANISHED (EARLIER) " : "* VANISHED ");
            int to = Math.min(uids.ranges(), from + RANGES_PER_LINE);
            for (int r = from; r < to; r++) {
                if (r > from) {
                    buffer.write(',');
                }
                buffer.number(uids.low(r));
                if (uids.high(r) != uids.low(r)) {
                    buffer.write(':');
                    buffer.number(uids.high(r));
                }
            }
            buffer.endLine();
        }
        buffer.drain();
    }

    /** {@code * OK [HIGHESTMODSEQ n]} (RFC 7162 §3.1.2.1). */
    public static void highestModseq(ImapWriter writer, long modseq) throws IOException {
        writer.untaggedStatus(Status.OK, "HIGHESTMODSEQ " + modseq, "Highest");
    }

    /** {@code * OK [NOMODSEQ]} (RFC 7162 §3.1.2.2). */
    public static void noModseq(ImapWriter writer) throws IOException {
        writer.untaggedStatus(Status.OK, "NOMODSEQ", "No permanent modsequences");
    }

    /** {@code * OK [CLOSED]} (RFC 7162 §3.2.11): the mailbox selected before is closed. */
    public static void closed(ImapWriter writer) throws IOException {
        writer.untaggedStatus(Status.OK, "CLOSED", "Previous mailbox closed.");
    }

    public static void firstUnseen(ImapWriter writer, int seq) throws IOException {
        writer.untaggedStatus(Status.OK, "UNSEEN " + seq, "First unseen.");
    }

    public static void uidValidity(ImapWriter writer, long uidValidity) throws IOException {
        writer.untaggedStatus(Status.OK, "UIDVALIDITY " + uidValidity, "UIDs valid.");
    }

    public static void uidNext(ImapWriter writer, long uidNext) throws IOException {
        writer.untaggedStatus(Status.OK, "UIDNEXT " + uidNext, "Predicted next UID.");
    }

    /** RFC 8474 §4.2: the mailbox's MAILBOXID at SELECT and EXAMINE. */
    public static void mailboxId(ImapWriter writer, String mailboxId) throws IOException {
        writer.untaggedStatus(Status.OK, "MAILBOXID (" + mailboxId + ")", "Ok");
    }

    /** The FLAGS list of a mailbox: the system flags and every keyword in use, ascending. */
    private static String flagList(Set<String> keywords) {
        var sb = new StringBuilder("(\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        new TreeSet<>(keywords).forEach(k -> sb.append(' ').append(k));
        return sb.append(')').toString();
    }
}
