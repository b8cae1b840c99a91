package org.roost.imap.command;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;
import org.roost.net.ProtocolViolation;

/**
 * IDLE (RFC 2177): while the client waits, a helper virtual thread pushes mailbox changes as
 * they happen (and polls the storage once a second for changes made outside the server); the
 * session's own thread waits for "DONE". With NOTIFY in effect, its notifier does the pushing.
 */
public final class IdleCommand extends CommandExecutor<NoArguments> {
    private static final System.Logger LOG = System.getLogger(IdleCommand.class.getName());
    private static final long POLL_MILLIS = 1000;

    public IdleCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, NoArguments.named("IDLE"),
                List.of(Capability.afterLogin("IDLE")));
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
        private final Semaphore wakeUp = new Semaphore(0);
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
            Runnable unwatch = selected == null ? () -> { } : selected.view().state().watch(wakeUp::release);
            var pusher = selected == null ? null : Thread.ofVirtual().name("idle-push").start(() -> pushChanges(selected));
            String line;
            try {
                line = context.session().awaitLine();
            } finally {
                done = true;
                unwatch.run();
                wakeUp.release();
                if (pusher != null) {
                    joinQuietly(pusher);
                }
            }
            return done(line);
        }

        private void pushChanges(SelectedMailbox selected) {
            var lock = context.session().outputLock();
            while (!done) {
                try {
                    wakeUp.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                    if (done) {
                        return;
                    }
                    lock.lock();
                    try {
                        selected.reportChanges(context.writer(), true, context.facts().enabled());
                        context.writer().flush();
                    } finally {
                        lock.unlock();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "IDLE push stopped: {0}", e.getMessage());
                    return;
                }
            }
        }

        private static void joinQuietly(Thread thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
