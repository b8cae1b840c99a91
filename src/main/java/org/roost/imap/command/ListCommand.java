package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.config.RoostConfig;
import org.roost.imap.protocol.ListMailboxes;
import org.roost.imap.protocol.MailboxNaming;
import org.roost.imap.protocol.response.ListResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNames;
import org.roost.mail.MailboxPattern;
import org.roost.net.Cancellation;

/**
 * LIST and LSUB (RFC 3501 §6.3.8, §6.3.9) with the CHILDREN attributes (RFC 3348), matching on
 * the wire names (modified UTF-7, or UTF-8 in an IMAP4rev2 session), with patterns bounded by {@code limits.maxListPatternLength}
 * and {@code limits.maxListWildcards}.
 */
public final class ListCommand extends CommandExecutor<ListMailboxes> {
    private final RoostConfig.Limits limits;

    public ListCommand(RoostConfig.Limits limits) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("LIST", ListMailboxes.LIST, "LSUB", ListMailboxes.LSUB),
                List.of(Capability.afterLogin("CHILDREN")));
        this.limits = limits;
    }

    @Override
    public Reply execute(ListMailboxes command, CommandContext context) throws IOException {
        var writer = context.writer();
        char delimiter = context.mailboxes().delimiter();
        var joined = command.reference() + command.pattern();
        var tooComplex = tooComplex(joined);
        if (tooComplex != null) {
            return tooComplex;
        }
        if (!command.subscribedOnly() && command.pattern().isEmpty()) {
            // RFC 3501 §6.3.8: an empty pattern asks for the delimiter and the root of the reference
            ListResponse.write(writer, "LIST", "\\Noselect", delimiter, rootOf(command.reference(), delimiter));
            return Reply.ok("LIST completed.");
        }
        var pattern = MailboxPattern.compile(joined, delimiter);
        var naming = context.facts().naming();
        var entries = command.subscribedOnly()
                ? subscribed(context, pattern, naming)
                : all(context.mailboxes().list(), pattern, naming, context.cancellation());
        for (var entry : entries.entrySet()) {
            ListResponse.write(writer, command.name(), entry.getValue(), delimiter, entry.getKey());
        }
        return Reply.ok(command.name() + " completed.");
    }

    /**
     * The tagged BAD when the reference name and pattern together exceed {@code limits.maxListPatternLength}
     * or {@code limits.maxListWildcards}; null when they are within both.
     */
    private Reply tooComplex(String joined) {
        if (joined.length() > limits.maxListPatternLength()) {
            return Reply.bad("LIMIT", "Mailbox pattern too long (at most " + limits.maxListPatternLength()
                    + " characters with the reference name).");
        }
        if (MailboxPattern.wildcards(joined) > limits.maxListWildcards()) {
            return Reply.bad("LIMIT", "Too many wildcards in the mailbox pattern (at most " + limits.maxListWildcards()
                    + " with the reference name).");
        }
        return null;
    }

    private static String rootOf(String reference, char delimiter) {
        int i = reference.indexOf(delimiter);
        return i < 0 ? "" : reference.substring(0, i + 1);
    }

    /** Wire name -> attributes, in a stable order with INBOX first. */
    private static Map<String, String> all(List<MailboxInfo> mailboxes, MailboxPattern pattern, MailboxNaming naming,
            Cancellation cancellation) {
        var infos = new ArrayList<>(mailboxes);
        infos.sort((a, b) -> a.name().equals(MailboxNames.INBOX) ? -1
                : b.name().equals(MailboxNames.INBOX) ? 1 : a.name().compareTo(b.name()));
        var out = new LinkedHashMap<String, String>();
        for (var info : infos) {
            cancellation.check();
            var wire = naming.encode(info.name());
            if (pattern.matches(wire)) {
                out.put(wire, attributes(info));
            }
        }
        return out;
    }

    /** The attributes LIST gives a mailbox; SELECT's LIST gives the same (RFC 9051 §6.3.2). */
    static String attributes(MailboxInfo info) {
        var children = info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren";
        return info.selectable() ? children : "\\Noselect " + children;
    }

    private static Map<String, String> subscribed(CommandContext context, MailboxPattern pattern, MailboxNaming naming)
            throws IOException {
        var out = new LinkedHashMap<String, String>();
        var subscriptions = context.mailboxes().subscriptions().stream().sorted().map(naming::encode).toList();
        var subscribed = Set.copyOf(subscriptions);
        for (var wire : subscriptions) {
            context.cancellation().check();
            if (pattern.matches(wire)) {
                out.put(wire, "");
                continue;
            }
            // RFC 3501 §6.3.9: with "%", a parent of a subscribed name is listed as \Noselect
            for (var parent : pattern.matchingParents(wire)) {
                if (!subscribed.contains(parent)) {
                    out.putIfAbsent(parent, "\\Noselect");
                }
            }
        }
        return out;
    }
}
