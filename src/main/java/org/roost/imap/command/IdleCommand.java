package org.roost.imap.command;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.roost.acl.Right;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;
import org.roost.net.ProtocolViolation;

/**
 * IDLE (RFC 2177): while the client waits, mailbox changes are pushed as they happen (and the
 * storage is looked at once a second for changes made outside the server); the session's own
 * thread waits for "DONE". Besides that thread, an idler holds none (a parked thread's stack is
 * heap): a push runs on a virtual thread started when there is something to look at, and one
 * shared thread times every idler's look at the storage. With NOTIFY in effect, its notifier
 * does the pushing.
 */
public final class IdleCommand extends CommandExecutor<NoArguments> {
    private static final System.Logger LOG = System.getLogger(IdleCommand.class.getName());
    private static final long POLL_MILLIS = 1000;
    private static final ScheduledThreadPoolExecutor POLLS = pollTimer();

    public IdleCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, NoArguments.named("IDLE"),
                List.of(Capability.afterLogin("IDLE")));
    }

    private static ScheduledThreadPoolExecutor pollTimer() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("idle-poll").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException, ProtocolViolation {
        var notifications = context.session().notifications();
        if (notifications != null && notifications.active()) {
            return notified(context, notifications);
        }
        return new Idling(context).run();
    }

    /** With NOTIFY in effect, IDLE sends exactly what NOTIFY asked for (RFC 5465 §4): the notifier writes it. */
    private static Reply notified(CommandContext context, Notifications notifications)
            throws IOException, ProtocolViolation {
        var lock = context.session().outputLock();
        lock.lock();
        try {
            context.writer().continuation("idling").flush();
        } finally {
            lock.unlock();
        }
        notifications.resume();
        String line;
        try {
            line = context.session().awaitLine();
        } finally {
            notifications.pause();
        }
        return done(line);
    }

    private static Reply done(String line) {
        return line.equalsIgnoreCase("DONE") ? Reply.ok("IDLE terminated.") : Reply.bad("Expected DONE.");
    }

    /** One IDLE: the pushes of changes until the client says DONE. */
    private static final class Idling {
        private final CommandContext context;
        /** Pushes asked for and not yet begun; a push runs while it is above zero. */
        private final AtomicInteger requests = new AtomicInteger();
        private volatile boolean done;

        Idling(CommandContext context) {
            this.context = context;
        }

        Reply run() throws IOException, ProtocolViolation {
            var selected = context.selected();
            var lock = context.session().outputLock();
            lock.lock();
            try {
                if (selected != null) {
                    selected.reportChanges(context.writer(), true, context.facts().enabled());
                }
                context.writer().continuation("idling").flush();
            } finally {
                lock.unlock();
            }
            Runnable unwatch = () -> { };
            ScheduledFuture<?> polls = null;
            if (selected != null) {
                Runnable push = () -> requestPush(selected);
                unwatch = selected.view().state().watch(push);
                polls = POLLS.scheduleWithFixedDelay(push, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            String line;
            try {
                line = context.session().awaitLine();
            } finally {
                done = true;
                unwatch.run();
                if (polls != null) {
                    polls.cancel(false);
                }
                // A push that holds the output lock finishes; later ones see done: none follows the tagged reply.
                lock.lock();
                lock.unlock();
            }
            return done(line);
        }

        /** Starts a push unless one runs already; a request while it runs makes it look once more. */
        private void requestPush(SelectedMailbox selected) {
            if (!done && requests.getAndIncrement() == 0) {
                Thread.ofVirtual().name("idle-push").start(() -> push(selected));
            }
        }

        /** Stops for good after DONE or a failed write: the requests left then start no other push. */
        private void push(SelectedMailbox selected) {
            int seen;
            do {
                seen = requests.get();
                if (!pushOnce(selected)) {
                    return;
                }
            } while (requests.addAndGet(-seen) != 0);
        }

        private boolean pushOnce(SelectedMailbox selected) {
            var lock = context.session().outputLock();
            lock.lock();
            try {
                if (done) {
                    return false;
                }
                if (!Access.ofSelected(context).has(Right.READ)) {
                    // RFC 4314 §4: a user who lost r learns nothing more of the messages; what changed meanwhile
                    // is told once r is back (or at the next command, which is refused without it).
                    return true;
                }
                selected.reportChanges(context.writer(), true, context.facts().enabled());
                context.writer().flush();
                return true;
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "IDLE push stopped: {0}", e.getMessage());
                return false;
            } finally {
                lock.unlock();
            }
        }
    }
}
