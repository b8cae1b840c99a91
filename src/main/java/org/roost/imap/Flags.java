package org.roost.imap;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/** Flags as IMAP writes and reads them (RFC 3501 §2.3.2). */
public final class Flags {
    private Flags() {}

    /** System flags and keywords named by a client. */
    public record Parsed(Set<SystemFlag> system, Set<String> keywords) {}

    /** Parses flag names; {@code \Recent} is accepted and ignored (clients cannot set it). */
    public static Parsed parse(Iterable<String> names) throws ImapParseException {
        var system = EnumSet.noneOf(SystemFlag.class);
        var keywords = new LinkedHashSet<String>();
        for (var name : names) {
            if (name.startsWith("\\")) {
                if (name.equalsIgnoreCase("\\Recent")) {
                    continue;
                }
                system.add(SystemFlag.fromImapName(name)
                        .orElseThrow(() -> new ImapParseException("Invalid system flag " + name)));
            } else {
                keywords.add(name);
            }
        }
        return new Parsed(system, keywords);
    }

    /** {@code (\Seen \Answered keyword)}, with {@code \Recent} when the session sees it so. */
    public static String format(StoredMessage m, boolean recent) {
        var sb = new StringBuilder("(");
        for (var flag : SystemFlag.values()) {
            if (m.flags().contains(flag)) {
                append(sb, flag.imapName());
            }
        }
        if (recent) {
            append(sb, "\\Recent");
        }
        new TreeSet<>(m.keywords()).forEach(k -> append(sb, k));
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, String flag) {
        if (sb.length() > 1) {
            sb.append(' ');
        }
        sb.append(flag);
    }

    /** The FLAGS list of a mailbox: the system flags and every keyword in use. */
    public static String mailboxFlags(Set<String> keywords) {
        var sb = new StringBuilder("(\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        new TreeSet<>(keywords).forEach(k -> sb.append(' ').append(k));
        return sb.append(')').toString();
    }

    public static String permanentFlags(Set<String> keywords) {
        var list = mailboxFlags(keywords);
        return list.substring(0, list.length() - 1) + " \\*)";
    }
}
