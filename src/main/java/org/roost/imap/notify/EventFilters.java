package org.roost.imap.notify;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Notify;
import org.roost.imap.protocol.Notify.Event;
import org.roost.imap.protocol.Notify.Filter;
import org.roost.index.MailboxEvent.MessageChange;

/**
 * What one NOTIFY SET asked for (RFC 5465 §6): the events of the selected mailbox, and which events of
 * which other mailboxes. Answers by matching a name against the filters, never by listing mailboxes, so
 * an event costs the same however many mailboxes the user has; a match costs at most one comparison per
 * name the client gave.
 *
 * @param selected  the SELECTED or SELECTED-DELAYED group, or null (no message events of the selected mailbox)
 * @param others    the other groups
 * @param delimiter the hierarchy delimiter, for SUBTREE
 * @param personal  which names are in the personal namespace, for INBOXES and PERSONAL (§6.3, §6.4)
 */
record EventFilters(Notify.EventGroup selected, List<Notify.EventGroup> others, char delimiter,
        Predicate<String> personal) {

    static EventFilters of(Notify command, char delimiter, Predicate<String> personal) {
        Notify.EventGroup selected = null;
        var others = new java.util.ArrayList<Notify.EventGroup>();
        for (var group : command.groups()) {
            if (group.filter() instanceof Filter.Selected) {
                selected = group;
            } else {
                others.add(group);
            }
        }
        return new EventFilters(selected, List.copyOf(others), delimiter, personal);
    }

    /** The events asked for {@code mailbox} (not the selected one), given the user's {@code subscriptions}. */
    Set<Event> eventsFor(String mailbox, Set<String> subscriptions) {
        var events = EnumSet.noneOf(Event.class);
        for (var group : others) {
            if (matches(group.filter(), mailbox, subscriptions)) {
                events.addAll(group.events());
            }
        }
        return events;
    }

    private boolean matches(Filter filter, String mailbox, Set<String> subscriptions) {
        return switch (filter) {
            case Filter.Selected s -> false;
            case Filter.Inboxes i -> personal.test(mailbox); // §6.3: every personal one may receive mail (fileinto)
            case Filter.Personal p -> personal.test(mailbox);
            case Filter.Subscribed s -> subscriptions.contains(mailbox);
            case Filter.Subtree t -> t.roots().stream().anyMatch(root -> root instanceof MailboxName.Valid v
                    && (mailbox.equals(v.name()) || mailbox.startsWith(v.name() + delimiter)));
            case Filter.Mailboxes m -> m.names().stream().anyMatch(n -> n instanceof MailboxName.Valid v
                    && mailbox.equals(v.name()));
        };
    }

    /** Whether a change of {@code kinds} is one of {@code events} (§5.1 to §5.3). */
    static boolean wanted(Set<Event> events, Set<MessageChange> kinds) {
        boolean added = kinds.contains(MessageChange.NEW) || kinds.contains(MessageChange.EXPUNGED);
        return added && events.contains(Event.MESSAGE_NEW)
                || kinds.contains(MessageChange.FLAGS) && events.contains(Event.FLAG_CHANGE)
                || kinds.isEmpty() && !events.isEmpty(); // a new UIDVALIDITY
    }

    /** Whether the selected mailbox's changes of {@code kinds} are to be told between commands. */
    boolean selectedWants(Set<MessageChange> kinds) {
        return selected != null && wanted(selected.events(), kinds);
    }

    /** SELECTED-DELAYED (§6.1.2): expunges wait for a command that allows them. */
    boolean delayed() {
        return selected != null && ((Filter.Selected) selected.filter()).delayed();
    }

    /** MessageNew's fetch attributes for the selected mailbox (§5.2); empty when none. */
    List<FetchItem> newMessageItems() {
        return selected == null ? List.of() : selected.newMessageItems();
    }

    boolean usesSubscriptions() {
        return others.stream().anyMatch(g -> g.filter() instanceof Filter.Subscribed);
    }

    /** Whether any group asks for ServerMetadataChange (RFC 5465 §5.7), which is about no mailbox. */
    boolean watchesServerMetadata() {
        return others.stream().anyMatch(g -> g.events().contains(Event.SERVER_METADATA_CHANGE));
    }

    /** Whether any group asks for message events of mailboxes other than the selected one. */
    boolean watchesMessages() {
        return others.stream().anyMatch(g -> g.events().contains(Event.MESSAGE_NEW));
    }
}
