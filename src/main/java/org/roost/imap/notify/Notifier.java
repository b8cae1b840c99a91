package org.roost.imap.notify;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import org.roost.acl.Right;
import org.roost.imap.command.Access;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.Extension;
import org.roost.imap.command.Notifications;
import org.roost.imap.command.SelectedMailbox;
import org.roost.imap.command.SessionFacts;
import org.roost.imap.fetch.FetchCommand;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.MailboxNaming;
import org.roost.imap.protocol.Notify;
import org.roost.imap.protocol.Notify.Event;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.MetadataResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.StatusResponse;
import org.roost.index.Annotations;
import org.roost.index.MailboxEvent;
import org.roost.index.MailboxEvent.MessageChange;
import org.roost.index.MailboxStatus;
import org.roost.index.Mailboxes;
import org.roost.mail.MailboxInfo;
import org.roost.net.Cancellation;

/**
 * One session's NOTIFY (RFC 5465). Mailbox events (from any session, protocol or outside program) are
 * taken note of on the thread that made them, in a record bounded by {@code maxPending}: which mailboxes
 * owe a STATUS (one entry per mailbox however often it changes), which names owe a LIST, whether the
 * selected mailbox changed. The notifier's own virtual thread, woken by each note, writes them while the
 * session waits for its client; a client that does not read holds up only that thread, and once the
 * record is full the session is told {@code NOTIFICATIONOVERFLOW} and carries on as after NOTIFY NONE (§5.8).
 */
public final class Notifier implements Notifications, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    private static final String BAD_EVENT = "BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange"
            + " MailboxMetadataChange ServerMetadataChange)";

    /** What a notifier needs of its session. */
    public interface Session {
        ImapWriter writer();

        Lock outputLock();

        /** The selected mailbox, or null. */
        SelectedMailbox selected();

        Set<Extension> enabled();

        String id();
    }

    private final Session session;
    private final Mailboxes mailboxes;
    private final int maxMailboxes;
    private final int maxPending;
    private final Semaphore wake = new Semaphore(0);
    /** What NOTIFY SET asked for; null when nothing is told between commands. Guarded by this. */
    private EventFilters filters;
    /** Guarded by this: what the client is owed. */
    private Pending pending = new Pending();
    /** The subscriptions, when a SUBSCRIBED filter needs them. Guarded by this. */
    private Set<String> subscriptions = Set.of();
    private Runnable stopListening = () -> { };
    /** Outside-change watches by mailbox name; touched by the session's and the notifier's threads. Guarded by this. */
    private final Map<String, Runnable> outsideWatches = new HashMap<>();
    /** Whether a command runs. Guarded by the output lock. */
    private boolean paused = true;
    private Thread writerThread;
    private volatile boolean closed;

    /** What is owed to the client. */
    private static final class Pending {
        final Map<String, Set<MessageChange>> changed = new LinkedHashMap<>();
        final List<MailboxEvent.NameChange> names = new ArrayList<>();
        /** The entries changed, by mailbox ({@code ""}: the server). */
        final Map<String, Set<String>> annotations = new LinkedHashMap<>();
        boolean selectedChanged;
        boolean overflowed;

        int size() {
            return changed.size() + names.size() + annotations.size();
        }

        boolean isEmpty() {
            return size() == 0 && !selectedChanged && !overflowed;
        }
    }

    /**
     * {@code maxMailboxes}: how many mailboxes one NOTIFY SET may watch; {@code maxPending}: how many
     * notifications may wait for a client that does not read.
     */
    public Notifier(Session session, Mailboxes mailboxes, int maxMailboxes, int maxPending) {
        this.session = session;
        this.mailboxes = mailboxes;
        this.maxMailboxes = maxMailboxes;
        this.maxPending = maxPending;
    }

    // ---- NOTIFY

    @Override
    public Reply set(Notify command, CommandContext context) throws IOException {
        if (command.groups().stream().anyMatch(g -> !g.unsupported().isEmpty())) {
            return Reply.no(BAD_EVENT, "Unsupported event."); // §3.1
        }
        stop();
        if (command.none()) {
            return Reply.ok("NOTIFY completed.");
        }
        var next = EventFilters.of(command, mailboxes.delimiter(), mailboxes::personal);
        var subscribed = next.usesSubscriptions() ? Set.copyOf(mailboxes.subscriptions()) : Set.<String>of();
        var watched = watchedMailboxes(next, subscribed, context.cancellation());
        if (watched == null) {
            return Reply.no("NOTIFICATIONOVERFLOW", "NOTIFY would watch more than " + maxMailboxes + " mailboxes.");
        }
        synchronized (this) {
            filters = next;
            subscriptions = subscribed;
            pending = new Pending();
        }
        for (var name : watched) {
            watchOutside(name);
        }
        watchSelected(context.selected());
        stopListening = mailboxes.listen(this::taken);
        if (command.status()) {
            for (var name : watched) {
                context.cancellation().check();
                initialStatus(context.writer(), name, next.eventsFor(name, subscribed));
            }
        }
        startWriter();
        return Reply.ok("NOTIFY completed.");
    }

    /**
     * The mailboxes other than the selected one whose message events the filters ask for; null when they
     * are more than {@code maxMailboxes} (§3.1: NO [NOTIFICATIONOVERFLOW] for what is too expensive).
     */
    private List<String> watchedMailboxes(EventFilters next, Set<String> subscribed, Cancellation cancellation)
            throws IOException {
        if (!next.watchesMessages()) {
            return List.of();
        }
        var selected = session.selected();
        var selectedName = selected == null ? null : selected.name();
        var out = new ArrayList<String>();
        for (var info : mailboxes.list()) {
            cancellation.check();
            if (info.selectable() && !info.name().equals(selectedName)
                    && next.eventsFor(info.name(), subscribed).contains(Event.MESSAGE_NEW)) {
                if (out.size() == maxMailboxes) {
                    return null;
                }
                out.add(info.name());
            }
        }
        out.sort(null);
        return out;
    }

    /** §3.1: MessageNew asks for MESSAGES, UIDNEXT and UIDVALIDITY; FlagChange with CONDSTORE for HIGHESTMODSEQ. */
    private void initialStatus(ImapWriter writer, String name, Set<Event> events) throws IOException {
        if (!mailboxes.myRights(name).has(Right.READ)) {
            return; // RFC 4314 §4: STATUS needs r
        }
        var status = mailboxes.status(name, false, Cancellation.never());
        var items = new ArrayList<StatusResponse.Item>();
        items.add(new StatusResponse.Item("UIDVALIDITY", status.uidValidity()));
        items.add(new StatusResponse.Item("UIDNEXT", status.uidNext()));
        items.add(new StatusResponse.Item("MESSAGES", status.messages()));
        if (events.contains(Event.FLAG_CHANGE) && condstore()) {
            items.add(new StatusResponse.Item("HIGHESTMODSEQ", status.highestModseq()));
        }
        StatusResponse.write(writer, naming().encode(name), items);
    }

    private MailboxNaming naming() {
        return SessionFacts.naming(session.enabled());
    }

    private boolean condstore() {
        return session.enabled().contains(Extension.CONDSTORE);
    }

    /** Forgets what was asked and owed (NOTIFY NONE, a new NOTIFY SET, an overflow, the end of the session). */
    private void stop() {
        stopListening.run();
        stopListening = () -> { };
        List<Runnable> watches;
        synchronized (this) {
            filters = null;
            pending = new Pending();
            watches = List.copyOf(outsideWatches.values());
            outsideWatches.clear();
        }
        watches.forEach(Runnable::run);
    }

    private void watchOutside(String name) {
        synchronized (this) {
            if (outsideWatches.containsKey(name) || outsideWatches.size() > maxMailboxes) {
                return;
            }
        }
        try {
            var stop = mailboxes.watchOutsideChanges(name);
            synchronized (this) {
                if (filters != null && outsideWatches.putIfAbsent(name, stop) == null) {
                    return;
                }
            }
            stop.run();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "session {0}: cannot watch {1}: {2}", session.id(), name, e.getMessage());
        }
    }

    /** The selected mailbox is watched for outside changes while NOTIFY asks for its events. */
    private void watchSelected(SelectedMailbox selected) {
        boolean wanted;
        synchronized (this) {
            wanted = filters != null && filters.selected() != null;
        }
        if (selected != null && wanted) {
            watchOutside(selected.name());
        }
    }

    // ---- events, on the threads that made them

    private void taken(MailboxEvent event) {
        synchronized (this) {
            var now = filters;
            if (now == null || !note(now, event)) {
                return;
            }
            if (pending.size() > maxPending) {
                pending = new Pending();
                pending.overflowed = true;
                filters = null; // §5.8: as if NOTIFY NONE; the writer lets go of the rest
            }
        }
        wake.release();
    }

    /** Takes note of {@code event} if the client asked for it; returns whether anything is owed now. */
    private boolean note(EventFilters now, MailboxEvent event) {
        return switch (event) {
            case MailboxEvent.MessagesChanged m -> noteMessages(now, m);
            case MailboxEvent.NameChange n -> {
                // Own changes are not told (§5), but still change what is watched.
                boolean told = n.origin() != mailboxes && wantedName(now, n);
                boolean bookkeeping = n instanceof MailboxEvent.SubscriptionChanged ? now.usesSubscriptions()
                        : now.watchesMessages();
                if (told || bookkeeping) {
                    pending.names.add(n);
                }
                yield told || bookkeeping;
            }
            case MailboxEvent.AnnotationsChanged a -> noteAnnotations(now, a);
        };
    }

    /** §5.6 and §5.7, for changes made by others. */
    private boolean noteAnnotations(EventFilters now, MailboxEvent.AnnotationsChanged a) {
        boolean wanted = a.mailbox().equals(Annotations.SERVER) ? now.watchesServerMetadata()
                : now.eventsFor(a.mailbox(), subscriptions).contains(Event.MAILBOX_METADATA_CHANGE);
        if (!wanted || a.origin() == mailboxes) {
            return false;
        }
        pending.annotations.computeIfAbsent(a.mailbox(), k -> new LinkedHashSet<>()).addAll(a.entries());
        return true;
    }

    private boolean noteMessages(EventFilters now, MailboxEvent.MessagesChanged m) {
        var selected = session.selected();
        if (selected != null && selected.name().equals(m.mailbox())) {
            if (!now.selectedWants(m.kinds())) {
                return false;
            }
            pending.selectedChanged = true;
            return true;
        }
        if (!EventFilters.wanted(now.eventsFor(m.mailbox(), subscriptions), m.kinds())) {
            return false;
        }
        pending.changed.computeIfAbsent(m.mailbox(), k -> EnumSet.noneOf(MessageChange.class)).addAll(m.kinds());
        return true;
    }

    private boolean wantedName(EventFilters now, MailboxEvent.NameChange n) {
        var event = n instanceof MailboxEvent.SubscriptionChanged ? Event.SUBSCRIPTION_CHANGE : Event.MAILBOX_NAME;
        if (now.eventsFor(n.mailbox(), subscriptions).contains(event)) {
            return true;
        }
        return n instanceof MailboxEvent.Renamed r && now.eventsFor(r.oldName(), subscriptions).contains(event);
    }

    // ---- writing, between commands

    @Override
    public void pause() {
        paused(true);
    }

    @Override
    public void resume() {
        paused(false);
        if (writerThread != null) {
            watchSelected(session.selected());
            wake.release();
        }
    }

    /** Under the output lock, so that a pause waits for a notification being written. */
    private void paused(boolean now) {
        var lock = session.outputLock();
        lock.lock();
        try {
            paused = now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public synchronized boolean active() {
        return filters != null;
    }

    @Override
    public void newMessages(SelectedMailbox selected, SelectedMailbox.NewMessages news, ImapWriter writer)
            throws IOException {
        List<FetchItem> items;
        synchronized (this) {
            items = filters == null ? List.of() : filters.newMessageItems();
        }
        if (!items.isEmpty() && news.first() <= news.last()) {
            FetchCommand.unsolicited(selected, news.sequences(), items, writer);
        }
    }

    private void startWriter() {
        if (writerThread == null) {
            writerThread = Thread.ofVirtual().name("notify-" + session.id()).start(this::writeLoop);
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                wake.acquire();
                wake.drainPermits();
                writeOwed();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "session {0}: notifications stopped: {1}", session.id(), e.toString());
                return;
            }
        }
    }

    /** Under the output lock, while no command runs: everything owed, then a flush. */
    private void writeOwed() throws IOException {
        var lock = session.outputLock();
        lock.lock();
        try {
            if (paused || closed) {
                return;
            }
            Pending owed;
            EventFilters now;
            synchronized (this) {
                owed = pending;
                now = filters;
                pending = new Pending();
            }
            if (owed.isEmpty()) {
                return;
            }
            var writer = session.writer();
            if (owed.overflowed) {
                stop();
                writer.untaggedStatus(ImapWriter.Status.OK, "NOTIFICATIONOVERFLOW",
                        "Too many notifications pending: notifications are off (as after NOTIFY NONE).");
            } else if (now != null) {
                writeNames(writer, now, owed.names);
                writeStatuses(writer, owed.changed);
                writeAnnotations(writer, owed.annotations);
                if (owed.selectedChanged) {
                    writeSelected(writer, now);
                }
            }
            writer.flush();
        } finally {
            lock.unlock();
        }
    }

    /** §5.6 and §5.7: the names of the entries that changed, where the user may read them (RFC 5464 §3.3). */
    private void writeAnnotations(ImapWriter writer, Map<String, Set<String>> changed) throws IOException {
        for (var entry : changed.entrySet()) {
            var mailbox = entry.getKey();
            try {
                if (!mailbox.equals(Annotations.SERVER) && !Access.mayAnnotate(mailboxes.myRights(mailbox))) {
                    continue;
                }
            } catch (IOException e) {
                continue; // deleted meanwhile: its LIST tells
            }
            MetadataResponse.changed(writer, naming().encode(mailbox), List.copyOf(entry.getValue()));
        }
    }

    private void writeSelected(ImapWriter writer, EventFilters now) throws IOException {
        var selected = session.selected();
        if (selected != null) {
            var news = selected.reportChanges(writer, !now.delayed(), session.enabled());
            newMessages(selected, news, writer);
        }
    }

    /** §5.2, §5.3 and §5.1 in another mailbox: STATUS with what changed. */
    private void writeStatuses(ImapWriter writer, Map<String, Set<MessageChange>> changed) throws IOException {
        for (var entry : changed.entrySet()) {
            MailboxStatus status;
            try {
                if (!mailboxes.myRights(entry.getKey()).has(Right.READ)) {
                    continue; // RFC 4314 §4: STATUS needs r
                }
                status = mailboxes.statusAsKnown(entry.getKey());
            } catch (IOException e) {
                continue; // deleted meanwhile: its LIST tells
            }
            StatusResponse.write(writer, naming().encode(entry.getKey()), items(entry.getValue(), status));
        }
    }

    private List<StatusResponse.Item> items(Set<MessageChange> kinds, MailboxStatus status) {
        var items = new ArrayList<StatusResponse.Item>();
        boolean counted = kinds.contains(MessageChange.NEW) || kinds.contains(MessageChange.EXPUNGED);
        if (counted) {
            items.add(new StatusResponse.Item("UIDNEXT", status.uidNext()));
            items.add(new StatusResponse.Item("MESSAGES", status.messages()));
        }
        if (condstore()) {
            items.add(new StatusResponse.Item("HIGHESTMODSEQ", status.highestModseq()));
        }
        if (kinds.contains(MessageChange.FLAGS) || kinds.isEmpty()) {
            items.add(condstore() || kinds.isEmpty() ? new StatusResponse.Item("UIDVALIDITY", status.uidValidity())
                    : new StatusResponse.Item("UNSEEN", status.unseen()));
        }
        return items;
    }

    /** §5.4 and §5.5: a LIST for each affected name; own changes only update what is watched. */
    private void writeNames(ImapWriter writer, EventFilters now, List<MailboxEvent.NameChange> names)
            throws IOException {
        if (names.isEmpty()) {
            return;
        }
        var listing = new HashMap<String, MailboxInfo>();
        for (var info : mailboxes.list()) {
            listing.put(info.name(), info);
        }
        var subscribed = Set.copyOf(mailboxes.subscriptions());
        synchronized (this) {
            subscriptions = now.usesSubscriptions() ? subscribed : Set.of();
        }
        var lists = new NameLists(writer, mailboxes.delimiter(), listing, subscribed, naming());
        for (var change : names) {
            if (change instanceof MailboxEvent.Created || change instanceof MailboxEvent.Renamed) {
                if (now.eventsFor(change.mailbox(), subscriptions).contains(Event.MESSAGE_NEW)) {
                    watchOutside(change.mailbox());
                }
            }
            if (change.origin() != mailboxes && wantedName(now, change) && mailboxes.mayLearnOf(change)) {
                lists.write(change);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        stop();
        if (writerThread != null) {
            writerThread.interrupt();
        }
    }
}
