package org.roost.imap;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.roost.index.IndexCache;
import org.roost.mail.MailboxNameCodec;
import org.roost.mail.MailboxPattern;
import org.roost.storage.MailboxInfo;
import org.roost.storage.MailboxNotFoundException;

/**
 * The authenticated state's mailbox commands (RFC 3501 §6.3): CREATE, DELETE, RENAME,
 * SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND, and NAMESPACE (RFC 2342).
 */
final class MailboxCommands {
    private final ImapSession session;

    MailboxCommands(ImapSession session) {
        this.session = session;
    }

    /** A wire name (modified UTF-7) that does not decode. */
    static final class BadName extends Exception {
        BadName() {
            super("Invalid mailbox name", null, false, false);
        }
    }

    /** Decodes a client's mailbox name; INBOX in any case is INBOX. */
    static String decode(String wire) throws BadName {
        try {
            return IndexCache.canonical(MailboxNameCodec.decode(wire));
        } catch (IllegalArgumentException e) {
            throw new BadName();
        }
    }

    static String encode(String name) {
        return ImapStrings.astring(MailboxNameCodec.encode(name));
    }

    private char delimiter() {
        return session.mailStore().delimiter();
    }

    Reply namespace() throws IOException {
        session.writer().untagged("NAMESPACE ((\"\" \"" + delimiter() + "\")) NIL NIL");
        return Reply.ok("NAMESPACE completed.");
    }

    Reply create(Command.Create c) throws IOException {
        String name;
        try {
            name = decode(c.mailbox());
        } catch (BadName e) {
            return Reply.no("CANNOT", e.getMessage());
        }
        // RFC 3501 §6.3.3: a trailing delimiter only says the client intends inferior names
        while (name.length() > 1 && name.charAt(name.length() - 1) == delimiter()) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("INBOX") || session.mailStore().exists(name)) {
            return Reply.no("ALREADYEXISTS", "Mailbox already exists.");
        }
        session.mailStore().create(name);
        return Reply.ok("CREATE completed.");
    }

    Reply delete(Command.Delete c) throws IOException {
        String name;
        try {
            name = decode(c.mailbox());
        } catch (BadName e) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        if (name.equals("INBOX")) {
            return Reply.no("CANNOT", "INBOX cannot be deleted.");
        }
        var view = session.view();
        if (view != null && view.state().name().equals(name)) {
            session.selected(null);
        }
        session.mailStore().delete(name);
        session.context().indexCache().forget(session.userName(), name, delimiter());
        return Reply.ok("DELETE completed.");
    }

    Reply rename(Command.Rename c) throws IOException {
        String from;
        String to;
        try {
            from = decode(c.from());
            to = decode(c.to());
        } catch (BadName e) {
            return Reply.no("CANNOT", e.getMessage());
        }
        if (!session.mailStore().exists(from)) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        if (to.equals("INBOX") || session.mailStore().exists(to)) {
            return Reply.no("ALREADYEXISTS", "Target mailbox already exists.");
        }
        session.mailStore().rename(from, to);
        var cache = session.context().indexCache();
        cache.forget(session.userName(), from, delimiter());
        cache.forget(session.userName(), to, delimiter());
        followSelectedMailbox(from, to);
        return Reply.ok("RENAME completed.");
    }

    /**
     * The selected mailbox (or a superior of it) was renamed: the session stays selected on it
     * under its new name, as with Dovecot, instead of holding a state whose files moved away.
     * RENAME INBOX leaves INBOX in place (empty), so that selection is not moved.
     */
    private void followSelectedMailbox(String from, String to) throws IOException {
        var view = session.view();
        if (view == null || from.equals("INBOX")) {
            return;
        }
        var selected = view.state().name();
        String renamed;
        if (selected.equals(from)) {
            renamed = to;
        } else if (selected.startsWith(from + delimiter())) {
            renamed = to + selected.substring(from.length());
        } else {
            return;
        }
        var state = session.context().indexCache().open(session.userName(), renamed);
        state.refresh(true);
        session.selected(new org.roost.index.MailboxView(state, view.readOnly()));
    }

    Reply subscribe(Command.Subscribe c) throws IOException {
        String name;
        try {
            name = decode(c.mailbox());
        } catch (BadName e) {
            return Reply.no("CANNOT", e.getMessage());
        }
        if (c.subscribe()) {
            session.mailStore().subscribe(name);
        } else {
            session.mailStore().unsubscribe(name);
        }
        return Reply.ok(c.name() + " completed.");
    }

    /** LIST and LSUB (RFC 3501 §6.3.8, §6.3.9), matching on the wire (modified UTF-7) names. */
    Reply list(Command.ListMailboxes c) throws IOException {
        var writer = session.writer();
        char delimiter = delimiter();
        var command = c.subscribedOnly() ? "LSUB" : "LIST";
        var joined = c.reference() + c.pattern();
        var tooComplex = tooComplex(joined);
        if (tooComplex != null) {
            return tooComplex;
        }
        if (!c.subscribedOnly() && c.pattern().isEmpty()) {
            var root = c.reference().isEmpty() ? "\"\"" : ImapStrings.astring(rootOf(c.reference(), delimiter));
            writer.untagged("LIST (\\Noselect) \"" + delimiter + "\" " + root);
            return Reply.ok("LIST completed.");
        }
        var pattern = MailboxPattern.compile(joined, delimiter);
        var entries = c.subscribedOnly() ? subscribed(pattern) : all(pattern);
        for (var entry : entries.entrySet()) {
            writer.untagged(command + " (" + entry.getValue() + ") \"" + delimiter + "\" "
                    + ImapStrings.astring(entry.getKey()));
        }
        return Reply.ok(command + " completed.");
    }

    /**
     * The tagged BAD when the reference name and pattern together exceed {@code limits.maxListPatternLength}
     * or {@code limits.maxListWildcards}; null when they are within both.
     */
    private Reply tooComplex(String joined) {
        var limits = session.context().limits();
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
    private Map<String, String> all(MailboxPattern pattern) throws IOException {
        var out = new LinkedHashMap<String, String>();
        var infos = new ArrayList<>(session.mailStore().list());
        infos.sort((a, b) -> a.name().equals("INBOX") ? -1 : b.name().equals("INBOX") ? 1 : a.name().compareTo(b.name()));
        var cancellation = session.cancellation();
        for (var info : infos) {
            cancellation.check();
            var wire = MailboxNameCodec.encode(info.name());
            if (pattern.matches(wire)) {
                out.put(wire, attributes(info));
            }
        }
        return out;
    }

    private static String attributes(MailboxInfo info) {
        var attrs = new ArrayList<String>();
        if (!info.selectable()) {
            attrs.add("\\Noselect");
        }
        attrs.add(info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
        return String.join(" ", attrs);
    }

    private Map<String, String> subscribed(MailboxPattern pattern) throws IOException {
        var out = new LinkedHashMap<String, String>();
        var subscriptions = session.mailStore().subscriptions().stream().sorted().map(MailboxNameCodec::encode).toList();
        var subscribed = Set.copyOf(subscriptions);
        var cancellation = session.cancellation();
        for (var wire : subscriptions) {
            cancellation.check();
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

    /** STATUS (RFC 3501 §6.3.10): answered from the shared state, never from a session's view. */
    Reply status(Command.Status c) throws IOException {
        String name;
        try {
            name = decode(c.mailbox());
        } catch (BadName e) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        if (!session.mailStore().exists(name)) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var state = session.context().indexCache().open(session.userName(), name);
        var snapshot = state.refresh(true);
        if (c.items().contains("SIZE")) {
            state.measureSizes(snapshot, session.cancellation()); // RFC 8438: the sum of RFC822.SIZE, exact
        }
        var items = new ArrayList<String>();
        for (var item : c.items()) {
            long value = switch (item) {
                case "MESSAGES" -> snapshot.count();
                case "RECENT" -> state.unclaimedRecent();
                case "UIDNEXT" -> snapshot.uidNext();
                case "UIDVALIDITY" -> snapshot.uidValidity();
                case "UNSEEN" -> snapshot.unseenCount();
                case "SIZE" -> snapshot.totalVirtualSize();
                default -> snapshot.version();
            };
            items.add(item + " " + value);
        }
        session.writer().untagged("STATUS " + encode(name) + " (" + String.join(" ", items) + ")");
        return Reply.ok("STATUS completed.");
    }

    /** APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315). */
    Reply append(Command.Append c) throws IOException {
        String name;
        try {
            name = decode(c.mailbox());
        } catch (BadName e) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        if (!session.mailStore().exists(name)) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        Flags.Parsed flags;
        try {
            flags = Flags.parse(c.flags());
        } catch (ImapParseException e) {
            return Reply.bad(e.getMessage());
        }
        if (c.message().size() == 0) {
            return Reply.no("Cannot append an empty message.");
        }
        var date = c.date().map(d -> d.toInstant()).orElseGet(Instant::now);
        org.roost.index.MailboxState state;
        try {
            state = session.context().indexCache().open(session.userName(), name);
        } catch (MailboxNotFoundException e) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        try (var in = c.message().open()) {
            var stored = state.append(in, flags.system(), flags.keywords(), date);
            session.context().metrics().messages(session.protocolName(), "append", 1);
            return Reply.ok("APPENDUID " + state.current().uidValidity() + " " + stored.uid(), "APPEND completed.");
        }
    }
}
