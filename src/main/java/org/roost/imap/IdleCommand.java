package org.roost.imap;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.roost.net.ProtocolViolation;

/**
 * IDLE (RFC 2177): while the client waits, a helper virtual thread pushes mailbox changes as
 * they happen (and polls the storage once a second for changes made outside the server); the
 * session's own thread waits for "DONE".
 */
final class IdleCommand {
    private static final System.Logger LOG = System.getLogger(IdleCommand.class.getName());
    private static final long POLL_MILLIS = 1000;
    private final ImapSession session;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean done;

    IdleCommand(ImapSession session) {
        this.session = session;
    }

    Reply run() throws IOException, ProtocolViolation {
        var writer = session.writer();
        var view = session.view();
        var lock = session.connection().outputLock();
        lock.lock();
        try {
            if (view != null) {
                session.reportChanges(true);
            }
            writer.continuation("idling").flush();
        } finally {
            lock.unlock();
        }
        Runnable unwatch = view == null ? () -> { } : view.state().watch(wakeUp::release);
        var pusher = view == null ? null : Thread.ofVirtual().name("idle-push").start(this::pushChanges);
        String line;
        try {
            line = session.awaitLine();
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

    private void pushChanges() {
        var lock = session.connection().outputLock();
        while (!done) {
            try {
                wakeUp.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                if (done) {
                    return;
                }
                lock.lock();
                try {
                    session.reportChanges(true);
                    session.writer().flush();
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
