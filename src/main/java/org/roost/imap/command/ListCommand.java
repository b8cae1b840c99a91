package org.roost.imap.command;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.config.RoostConfig;
import org.roost.imap.protocol.ListMailboxes;
import org.roost.imap.protocol.ListOptions;
import org.roost.imap.protocol.response.ListAttribute;
import org.roost.imap.protocol.response.ListResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.StatusResponse;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.MailboxPattern;
import org.roost.mail.SpecialUse;

/**
 * LIST and LSUB (RFC 3501 §6.3.8, §6.3.9) with the CHILDREN attributes (RFC 3348), the extended LIST
 * (RFC 5258), special uses (RFC 6154) and the STATUS return option (RFC 5819), matching on the wire
 * names (modified UTF-7, or UTF-8 in an IMAP4rev2 session). The reference name joined with all the patterns is bounded by
 * {@code limits.maxListPatternLength} and {@code limits.maxListWildcards}, in total.
 */
public final class ListCommand extends CommandExecutor<ListMailboxes> {
    private final RoostConfig.Limits limits;
    private final StatusValues statusValues;

    /** {@code statusValues}: how the STATUS return option (RFC 5819) is answered, as STATUS answers it. */
    public ListCommand(RoostConfig.Limits limits, StatusValues statusValues) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("LIST", ListMailboxes.LIST, "LSUB", ListMailboxes.LSUB),
                List.of(Capability.afterLogin("CHILDREN")));
        this.limits = limits;
        this.statusValues = statusValues;
    }

    @Override
    public Reply execute(ListMailboxes command, CommandContext context) throws IOException {
        var joined = command.patterns().stream().map(pattern -> command.reference() + pattern).toList();
        var tooComplex = tooComplex(joined);
        if (tooComplex != null) {
            return tooComplex;
        }
        char delimiter = context.mailboxes().delimiter();
        var options = command.options();
        if (!options.extended() && command.patterns().getFirst().isEmpty() && !command.subscribedOnly()) {
            // RFC 3501 §6.3.8: an empty pattern asks for the delimiter and the root of the reference
            ListResponse.write(context.writer(), "LIST", "\\Noselect", delimiter, rootOf(command.reference(), delimiter));
            return Reply.ok("LIST completed.");
        }
        if (command.subscribedOnly()) {
            lsub(context, MailboxPattern.compile(joined.getFirst(), delimiter));
            return Reply.ok("LSUB completed.");
        }
        // RFC 5258 §3: an extended LIST ignores empty patterns
        var patterns = new ArrayList<MailboxPattern>();
        for (int i = 0; i < joined.size(); i++) {
            if (!command.patterns().get(i).isEmpty()) {
                patterns.add(MailboxPattern.compile(joined.get(i), delimiter));
            }
        }
        if (!patterns.isEmpty()) {
            list(context, options, patterns);
        }
        return Reply.ok("LIST completed.");
    }

    /**
     * The tagged BAD when the reference name and patterns together exceed {@code limits.maxListPatternLength}
     * or {@code limits.maxListWildcards}; null when they are within both.
     */
    private Reply tooComplex(List<String> joined) {
        if (joined.stream().mapToInt(String::length).sum() > limits.maxListPatternLength()) {
            return Reply.bad("LIMIT", "Mailbox pattern too long (at most " + limits.maxListPatternLength()
                    + " characters with the reference name).");
        }
        if (joined.stream().mapToInt(MailboxPattern::wildcards).sum() > limits.maxListWildcards()) {
            return Reply.bad("LIMIT", "Too many wildcards in the mailbox pattern (at most " + limits.maxListWildcards()
                    + " with the reference name).");
        }
        return null;
    }

    /** The rights LIST looked up already, or else afresh (no ACLs: every mailbox is listed without a look-up). */
    private static Rights rightsOf(CommandContext context, String name, Map<String, Rights> rights) throws IOException {
        var known = rights.get(name);
        return known != null ? known : Access.of(context, name);
    }

    private static String rootOf(String reference, char delimiter) {
        int i = reference.indexOf(delimiter);
        return i < 0 ? "" : reference.substring(0, i + 1);
    }

    /** What LIST answers for {@code patterns} with {@code options}; SELECT's LIST too (RFC 9051 §6.3.2). */
    static List<MailboxListing.Entry> entries(CommandContext context, ListOptions options, List<MailboxPattern> patterns)
            throws IOException {
        return entries(context, options, patterns, new HashMap<>());
    }

    /** As {@link #entries(CommandContext, ListOptions, List)}, keeping in {@code rights} those it looked up. */
    private static List<MailboxListing.Entry> entries(CommandContext context, ListOptions options,
            List<MailboxPattern> patterns, Map<String, Rights> rights) throws IOException {
        var mailboxes = context.mailboxes();
        var subscriptions = options.returnsSubscribed() ? mailboxes.subscriptions() : Set.<String>of();
        var uses = options.returnsSpecialUse() ? mailboxes.specialUses() : Map.<String, Set<SpecialUse>>of();
        var facts = new MailboxListing.Facts(Access.listable(mailboxes, rights), subscriptions, uses, mailboxes.delimiter());
        return new MailboxListing(options, patterns, facts, context.facts().naming()).entries(context.cancellation());
    }

    private void list(CommandContext context, ListOptions options, List<MailboxPattern> patterns)
            throws IOException {
        var mailboxes = context.mailboxes();
        var rights = new HashMap<String, Rights>();
        for (var entry : entries(context, options, patterns, rights)) {
            context.cancellation().check();
            var attributes = entry.attributes();
            List<StatusResponse.Item> status = null;
            if (!options.status().isEmpty() && entry.selectable() && entry.meetsCriteria()
                    && rightsOf(context, entry.name(), rights).has(Right.READ)) { // STATUS needs r (RFC 4314 §4)
                try {
                    status = statusValues.read(context, entry.name(), options.status());
                } catch (MailboxNotFoundException | NoSuchFileException goneMeanwhile) {
                    // removed by another program after the listing: RFC 5819 §2, no STATUS, and the LIST
                    // response says \NoSelect
                    attributes = new ArrayList<>(attributes);
                    attributes.add(ListAttribute.NOSELECT);
                }
            }
            if (options.extended()) {
                ListResponse.write(context.writer(), attributes, mailboxes.delimiter(), entry.wireName(),
                        entry.childInfo());
            } else {
                ListResponse.write(context.writer(), "LIST", attributes.stream().map(ListAttribute::wireName)
                        .collect(Collectors.joining(" ")), mailboxes.delimiter(), entry.wireName());
            }
            if (status != null) {
                StatusResponse.write(context.writer(), entry.wireName(), status);
            }
        }
    }

    private static void lsub(CommandContext context, MailboxPattern pattern) throws IOException {
        var out = new LinkedHashMap<String, String>();
        var subscriptions = context.mailboxes().subscriptions().stream().sorted().map(context.facts().naming()::encode)
                .toList();
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
        char delimiter = context.mailboxes().delimiter();
        for (var entry : out.entrySet()) {
            ListResponse.write(context.writer(), "LSUB", entry.getValue(), delimiter, entry.getKey());
        }
    }
}
