package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.roost.net.ProtocolViolation;

/**
 * NOTIFY (RFC 5465 §8): {@code "NOTIFY" SP ("NONE" / "SET" [SP "STATUS"] SP event-group *(SP event-group))}.
 * The rules of §5 and §6.1 that make a command BAD are checked here; events Roost does not support are
 * kept by name ({@link EventGroup#unsupported()}), for the executor's {@code NO [BADEVENT ...]}.
 *
 * @param status whether the STATUS indicator was given
 * @param groups the event groups; empty for NOTIFY NONE
 */
public record Notify(String tag, boolean status, List<EventGroup> groups) implements Command {
    public static final Syntax<Notify> SYNTAX = Notify::parse;

    @Override
    public String name() {
        return "NOTIFY";
    }

    /** NOTIFY NONE: no events at all. */
    public boolean none() {
        return groups.isEmpty();
    }

    /** The events Roost reports, by their names in RFC 5465 §8. */
    public enum Event {
        MESSAGE_NEW("MessageNew"), MESSAGE_EXPUNGE("MessageExpunge"), FLAG_CHANGE("FlagChange"),
        MAILBOX_NAME("MailboxName"), SUBSCRIPTION_CHANGE("SubscriptionChange"),
        MAILBOX_METADATA_CHANGE("MailboxMetadataChange"), SERVER_METADATA_CHANGE("ServerMetadataChange");

        private final String wireName;

        Event(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public boolean aboutMessages() {
            return this == MESSAGE_NEW || this == MESSAGE_EXPUNGE || this == FLAG_CHANGE;
        }
    }

    /** {@code filter-mailboxes}: which mailboxes a group watches. */
    public sealed interface Filter {
        /** SELECTED or SELECTED-DELAYED (§6.1). */
        record Selected(boolean delayed) implements Filter {}

        /** INBOXES (§6.3). */
        record Inboxes() implements Filter {}

        /** PERSONAL (§6.2). */
        record Personal() implements Filter {}

        /** SUBSCRIBED (§6.4). */
        record Subscribed() implements Filter {}

        /** SUBTREE (§6.5): each mailbox and every mailbox below it. */
        record Subtree(List<MailboxName> roots) implements Filter {}

        /** MAILBOXES (§6.6): exactly these, no wildcards. */
        record Mailboxes(List<MailboxName> names) implements Filter {}
    }

    /**
     * One {@code event-group}: its mailboxes, the events asked for (empty for NONE), the fetch attributes
     * of MessageNew (SELECTED only) and the names of events Roost does not support.
     */
    public record EventGroup(Filter filter, Set<Event> events, List<FetchItem> newMessageItems,
                             List<String> unsupported) {}

    private static Notify parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var reader = in.reader();
        var verb = reader.atom().toUpperCase(Locale.ROOT);
        if (verb.equals("NONE")) {
            return new Notify(tag, false, List.of());
        }
        if (!verb.equals("SET")) {
            throw new ImapParseException("Expected NOTIFY SET or NOTIFY NONE");
        }
        in.space();
        boolean status = false;
        if (reader.peek() != '(') {
            if (!reader.atom().equalsIgnoreCase("STATUS")) {
                throw new ImapParseException("Expected STATUS or an event group");
            }
            status = true;
            in.space();
        }
        var groups = new ArrayList<EventGroup>();
        var names = new int[1];
        do {
            if (!groups.isEmpty()) {
                in.space();
            }
            groups.add(group(in, names));
        } while (reader.peek() == ' ');
        if (groups.stream().filter(g -> g.filter() instanceof Filter.Selected).count() > 1) {
            throw new ImapParseException("Only one of SELECTED and SELECTED-DELAYED may be given"); // §6.1
        }
        return new Notify(tag, status, List.copyOf(groups));
    }

    private static EventGroup group(Arguments in, int[] names) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        reader.expect('(', "'(' before an event group");
        var filter = filter(in, names);
        in.space();
        var events = EnumSet.noneOf(Event.class);
        var unsupported = new LinkedHashSet<String>();
        List<FetchItem> items = List.of();
        if (reader.peek() != '(') {
            if (!reader.atom().equalsIgnoreCase("NONE")) {
                throw new ImapParseException("Expected '(' before the events, or NONE");
            }
        } else {
            reader.next();
            while (true) {
                var event = add(reader.atom(), events, unsupported);
                if (reader.peek() == ')') {
                    break;
                }
                in.space();
                if (event == Event.MESSAGE_NEW && reader.peek() == '(') {
                    if (!(filter instanceof Filter.Selected)) {
                        throw new ImapParseException("Fetch attributes of MessageNew are for SELECTED only"); // §8
                    }
                    items = new FetchItems(in).items();
                    if (reader.peek() == ')') {
                        break;
                    }
                    in.space();
                }
            }
            reader.expect(')', "')' after the events");
        }
        reader.expect(')', "')' after an event group");
        check(filter, events, unsupported);
        return new EventGroup(filter, Set.copyOf(events), items, List.copyOf(unsupported));
    }

    /** RFC 5465 §5 and §6.1: the combinations that are BAD. */
    private static void check(Filter filter, Set<Event> events, Set<String> unsupported) throws ImapParseException {
        boolean annotation = unsupported.stream().anyMatch(n -> n.equalsIgnoreCase("AnnotationChange"));
        boolean newMessages = events.contains(Event.MESSAGE_NEW);
        if (newMessages != events.contains(Event.MESSAGE_EXPUNGE)) {
            throw new ImapParseException("MessageNew and MessageExpunge go together");
        }
        if ((events.contains(Event.FLAG_CHANGE) || annotation) && !newMessages) {
            throw new ImapParseException("FlagChange and AnnotationChange need MessageNew and MessageExpunge");
        }
        if (filter instanceof Filter.Selected && events.stream().anyMatch(e -> !e.aboutMessages())) {
            throw new ImapParseException("SELECTED takes message events only");
        }
    }

    /** Adds the event {@code name} to those asked for, or to the unsupported ones; returns it (null if unsupported). */
    private static Event add(String name, Set<Event> events, Set<String> unsupported) throws ImapParseException {
        var event = event(name);
        if (event == null) {
            unsupported.add(name);
        } else if (!events.add(event)) {
            throw new ImapParseException(event.wireName() + " given twice");
        }
        return event;
    }

    private static Event event(String name) {
        for (var event : Event.values()) {
            if (event.wireName.equalsIgnoreCase(name)) {
                return event;
            }
        }
        return null;
    }

    private static Filter filter(Arguments in, int[] names) throws IOException, ProtocolViolation, ImapParseException {
        var word = in.reader().atom().toUpperCase(Locale.ROOT);
        return switch (word) {
            case "SELECTED" -> new Filter.Selected(false);
            case "SELECTED-DELAYED" -> new Filter.Selected(true);
            case "INBOXES" -> new Filter.Inboxes();
            case "PERSONAL" -> new Filter.Personal();
            case "SUBSCRIBED" -> new Filter.Subscribed();
            case "SUBTREE" -> new Filter.Subtree(mailboxes(in, names));
            case "MAILBOXES" -> new Filter.Mailboxes(mailboxes(in, names));
            default -> throw new ImapParseException("Unknown mailbox filter " + Arguments.printable(word));
        };
    }

    /** {@code one-or-more-mailbox}, counting toward the command's bound on names. */
    private static List<MailboxName> mailboxes(Arguments in, int[] names)
            throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var reader = in.reader();
        if (reader.peek() != '(') {
            count(in, names);
            return List.of(in.mailbox());
        }
        reader.next();
        var out = new ArrayList<MailboxName>();
        do {
            if (!out.isEmpty()) {
                in.space();
            }
            count(in, names);
            out.add(in.mailbox());
        } while (reader.peek() == ' ');
        reader.expect(')', "')' after the mailboxes");
        return List.copyOf(out);
    }

    private static void count(Arguments in, int[] names) throws ImapParseException {
        if (++names[0] > in.settings().maxNotifyMailboxes()) {
            throw new ImapParseException("Too many mailbox names (at most " + in.settings().maxNotifyMailboxes() + ")");
        }
    }
}
