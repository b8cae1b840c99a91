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
 * session's own thread waits for "DONE".
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
        return new Idling(context).run();
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
            return line.equalsIgnoreCase("DONE") ? Reply.ok("IDLE terminated.") : Reply.bad("Expected DONE.");
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
