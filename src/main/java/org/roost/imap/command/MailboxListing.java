package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.roost.imap.protocol.ListOptions;
import org.roost.imap.protocol.MailboxNaming;
import org.roost.imap.protocol.ListOptions.Selection;
import org.roost.imap.protocol.response.ListAttribute;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNames;
import org.roost.mail.MailboxPattern;
import org.roost.mail.SpecialUse;
import org.roost.net.Cancellation;

/**
 * Which names a LIST answers and with what (RFC 3501 §6.3.8; RFC 5258 §3 for the extended LIST; RFC 6154
 * §2 for special uses). A name is listed when it matches a pattern and either meets the selection criteria
 * (an existing mailbox; subscribed with SUBSCRIBED; with a special use with SPECIAL-USE), or has a
 * descendant that meets them and is not otherwise listed: with RECURSIVEMATCH (§3.5: then with CHILDINFO,
 * and also for an existing name whose descendants are all listed, as §5 example 9 does), or for a name
 * that does not exist, with {@code \NonExistent \HasChildren} (§3.5, example 11). A plain LIST lists every
 * name the store has, non-selectable parents as {@code \Noselect}, as RFC 3501 does.
 *
 * <p>Attributes come in one order that gives every example of RFC 5258 §5 and RFC 6154 §5: children the
 * client asked for, {@code \Subscribed}, {@code \NonExistent} or {@code \Noselect}, special uses, then
 * children it did not ask for.
 */
final class MailboxListing {

    /**
     * One LIST response.
     *
     * @param selectable whether the name is a selectable mailbox
     * @param meetsCriteria whether it meets the selection criteria (RFC 5819: only such get STATUS)
     */
    record Entry(String name, String wireName, List<ListAttribute> attributes, boolean childInfo,
            boolean selectable, boolean meetsCriteria) {}

    /** What the user's store says, read once per command. */
    record Facts(List<MailboxInfo> mailboxes, Set<String> subscriptions, Map<String, Set<SpecialUse>> specialUses,
            char delimiter) {}

    private final ListOptions options;
    private final List<MailboxPattern> patterns;
    private final Facts facts;
    private final Map<String, MailboxInfo> infos = new HashMap<>();
    private final Map<String, String> wireNames = new HashMap<>();
    private final MailboxNaming naming;

    MailboxListing(ListOptions options, List<MailboxPattern> patterns, Facts facts, MailboxNaming naming) {
        this.options = options;
        this.patterns = patterns;
        this.facts = facts;
        this.naming = naming;
        facts.mailboxes().forEach(info -> infos.put(info.name(), info));
    }

    /** The responses, INBOX first, then by name. */
    List<Entry> entries(Cancellation cancellation) {
        var criteria = new ArrayList<String>();
        for (var name : universe()) {
            cancellation.check();
            if (meetsCriteria(name)) {
                criteria.add(name);
            }
        }
        var descendants = descendantsMeetingCriteria(criteria, cancellation);
        var listed = new TreeMap<String, Entry>(MailboxListing::inboxFirst);
        for (var name : criteria) {
            if (matches(name)) {
                listed.put(name, entry(name, true, descendants.containsKey(name)));
            }
        }
        if (options.extended()) {
            descendants.forEach((name, unlisted) -> {
                cancellation.check();
                if (!listed.containsKey(name) && matches(name) && (unlisted || recursiveOnExisting(name))) {
                    listed.put(name, entry(name, false, true));
                }
            });
        }
        return List.copyOf(listed.values());
    }

    /** RECURSIVEMATCH lists an existing parent of listed descendants too (RFC 5258 §5 example 9). */
    private boolean recursiveOnExisting(String name) {
        return options.selects(Selection.RECURSIVEMATCH) && selectable(name);
    }

    /** Every name a LIST could show: the store's, and the subscribed ones when they matter. */
    private Set<String> universe() {
        var names = new LinkedHashSet<String>(infos.keySet());
        if (options.selects(Selection.SUBSCRIBED)) {
            names.addAll(facts.subscriptions());
        }
        return names;
    }

    private boolean meetsCriteria(String name) {
        if (options.selects(Selection.SUBSCRIBED) ? !facts.subscriptions().contains(name)
                : options.extended() && !selectable(name)) {
            return false;
        }
        return !options.selects(Selection.SPECIAL_USE) || !uses(name).isEmpty();
    }

    /**
     * The strict ancestors of names meeting the criteria, each with whether one of those descendants matches
     * no pattern (so is not listed itself). Only for an extended LIST with RECURSIVEMATCH, or without
     * SUBSCRIBED (where a missing parent is shown as \NonExistent \HasChildren).
     */
    private Map<String, Boolean> descendantsMeetingCriteria(List<String> criteria, Cancellation cancellation) {
        var ancestors = new HashMap<String, Boolean>();
        boolean wanted = options.extended() && (options.selects(Selection.RECURSIVEMATCH)
                || !options.selects(Selection.SUBSCRIBED));
        if (!wanted) {
            return ancestors;
        }
        for (var name : criteria) {
            cancellation.check();
            boolean unlisted = !matches(name);
            for (int i = name.indexOf(facts.delimiter()); i > 0; i = name.indexOf(facts.delimiter(), i + 1)) {
                ancestors.merge(name.substring(0, i), unlisted, Boolean::logicalOr);
            }
        }
        if (!options.selects(Selection.RECURSIVEMATCH)) {
            ancestors.keySet().removeIf(this::selectable);
        }
        return ancestors;
    }

    private Entry entry(String name, boolean meetsCriteria, boolean hasDescendantMeetingCriteria) {
        boolean selectable = selectable(name);
        var info = infos.get(name);
        boolean hasChildren = info != null && info.hasChildren();
        var attributes = new ArrayList<ListAttribute>();
        boolean childrenAsked = options.extended() && options.returnsChildren();
        if (childrenAsked) {
            attributes.add(ListAttribute.children(hasChildren));
        }
        if (options.returnsSubscribed() && facts.subscriptions().contains(name)) {
            attributes.add(ListAttribute.SUBSCRIBED);
        }
        if (!selectable) {
            attributes.add(options.extended() ? ListAttribute.NONEXISTENT : ListAttribute.NOSELECT);
        }
        if (selectable && options.returnsSpecialUse()) {
            uses(name).stream().sorted().map(ListAttribute::of).forEach(attributes::add);
        }
        if (!childrenAsked && (options.returnsChildren() || !selectable && hasDescendantMeetingCriteria
                && !options.selects(Selection.RECURSIVEMATCH))) {
            attributes.add(ListAttribute.children(hasChildren));
        }
        boolean childInfo = hasDescendantMeetingCriteria && options.selects(Selection.RECURSIVEMATCH);
        return new Entry(name, wireName(name), attributes, childInfo, selectable, meetsCriteria);
    }

    private boolean matches(String name) {
        var wire = wireName(name);
        for (var pattern : patterns) {
            if (pattern.matches(wire)) {
                return true;
            }
        }
        return false;
    }

    private String wireName(String name) {
        return wireNames.computeIfAbsent(name, naming::encode);
    }

    private boolean selectable(String name) {
        var info = infos.get(name);
        return info != null && info.selectable();
    }

    private Set<SpecialUse> uses(String name) {
        return selectable(name) ? facts.specialUses().getOrDefault(name, Set.of()) : Set.of();
    }

    private static int inboxFirst(String a, String b) {
        boolean aInbox = a.equals(MailboxNames.INBOX);
        boolean bInbox = b.equals(MailboxNames.INBOX);
        return aInbox || bInbox ? Boolean.compare(bInbox, aInbox) : a.compareTo(b);
    }
}
