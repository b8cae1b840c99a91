package org.roost.net;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * One connection's whole life, the same for every protocol: counted and registered while it lasts,
 * a pre-auth deadline until login, then the protocol's greeting and command loop, and at the end
 * the exception ladder (each kind of failure logged at its level, with the protocol's last words)
 * and the clean-up. A protocol plugs in with its greeting, its command loop, its {@link Farewell}
 * and what it lets go of at the end; its loop reads through {@link #awaitInput}, so that a kick or
 * a shutdown answers a waiting client at once and ends a busy one after its command.
 */
public abstract class ProtocolSession implements SessionRegistry.LiveSession {
    private static final System.Logger LOG = System.getLogger(ProtocolSession.class.getName());
    private static final Duration LAST_WORDS_WAIT = Duration.ofSeconds(1);
    protected final Connection connection;
    private final String protocol;
    private final String id;
    private final Instant started = Instant.now();
    private final SessionRuntime runtime;
    private final Farewell farewell;
    private final ImposedWaits imposedWaits = new ImposedWaits();
    private final SessionCancellation cancellation;
    private final AtomicBoolean lastWordsSent = new AtomicBoolean();
    private final CountDownLatch lastWordsWritten = new CountDownLatch(1);
    /** Set once the pre-auth deadline fired or was called off: whichever comes first, the other does nothing. */
    private final AtomicBoolean deadlineSettled = new AtomicBoolean();
    /** Set once the client has authenticated. */
    private volatile String user;
    /** Set once the session was told to end; it ends at its next read. */
    private volatile String endReason;
    private volatile boolean waitingForInput;
    private Thread preAuthDeadline;

    /** {@code protocol} is the metrics label ("imap", "imaps", "pop3", ...). */
    protected ProtocolSession(Connection connection, String protocol, SessionRuntime runtime, Farewell farewell) {
        this.connection = connection;
        this.protocol = protocol;
        this.id = runtime.registry().newId();
        this.runtime = runtime;
        this.farewell = farewell;
        this.cancellation = new SessionCancellation(connection, this::ending);
    }

    /** Serves the connection until its end, on the calling (virtual) thread. */
    public final void run() {
        var closeGauge = runtime.meter().connectionOpened(protocol, connection.isTls());
        runtime.registry().register(this);
        try {
            if (runtime.hasLogin()) {
                connection.readTimeout(runtime.preAuthTimeout());
                enforcePreAuthDeadline(runtime.preAuthTimeout());
            } else {
                connection.readTimeout(runtime.idleTimeout());
            }
            greet();
            serve();
        } catch (SocketTimeoutException e) {
            lastWords(Ending.INACTIVITY, "Disconnected for inactivity.");
        } catch (ProtocolViolation | CorruptCompression e) {
            lastWords(Ending.VIOLATION, e.getMessage());
        } catch (Cancellation.Cancelled e) {
            LOG.log(Level.DEBUG, "session {0}: command stopped: {1}", id, e.getMessage());
            if (!e.clientGone()) {
                lastWords(Ending.TERMINATED, endReason);
            }
        } catch (EOFException | SocketException | SSLException e) {
            LOG.log(Level.DEBUG, "session {0}: connection closed: {1}", id, e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.INFO, "session {0}: I/O error: {1}", id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + id + ": internal error", e);
            lastWords(Ending.INTERNAL_ERROR, "Internal server error.");
        } finally {
            cancelPreAuthDeadline();
            release();
            runtime.registry().unregister(this);
            closeGauge.run();
            awaitLastWords();
            connection.close();
            LOG.log(Level.INFO, "session {0} user={1} closed", id, user == null ? "-" : user);
        }
    }

    /** Writes the greeting. */
    protected abstract void greet() throws IOException;

    /** Reads and executes commands until the session ends. */
    protected abstract void serve() throws IOException, ProtocolViolation;

    /** Lets go of what the session holds (a selected mailbox, a maildrop lock); runs once, at the end. */
    protected void release() {}

    /** One read of the client's input. */
    @FunctionalInterface
    public interface Input<T, E extends Exception> {
        T read() throws IOException, ProtocolViolation, E;
    }

    /**
     * Reads the client's next input (a command, IDLE's DONE): while it waits, a kick or shutdown
     * answers with the last words at once; once the session was told to end, it ends here.
     */
    protected final <T, E extends Exception> T awaitInput(Input<T, E> read) throws IOException, ProtocolViolation, E {
        waitingForInput = true;
        try {
            if (endReason != null) {
                throw new Cancellation.Cancelled(false);
            }
            return read.read();
        } finally {
            waitingForInput = false;
        }
    }

    /** A response written under the output lock. */
    @FunctionalInterface
    protected interface Output<T> {
        T write() throws IOException, ProtocolViolation;
    }

    /** Responses are written under the connection's output lock, so a shutdown's last words never land inside one. */
    protected final <T> T underOutputLock(Output<T> output) throws IOException, ProtocolViolation {
        var lock = connection.outputLock();
        lock.lock();
        try {
            return output.write();
        } finally {
            lock.unlock();
        }
    }

    /** The session ends after the command in progress (too many failed logins): with the last words at its next read. */
    protected final void endAfterThisCommand(String reason) {
        endReason = reason;
    }

    /** True once the session was told to end. */
    protected final boolean ending() {
        return endReason != null;
    }

    /** What long commands check, so that a kicked or abandoned command stops. */
    protected final SessionCancellation cancellation() {
        return cancellation;
    }

    /** The session has logged in: the pre-auth deadline is over and the idle timeout applies. */
    protected final void authenticatedAs(String name) throws IOException {
        user = name;
        cancelPreAuthDeadline();
        connection.readTimeout(runtime.idleTimeout());
    }

    /**
     * The session has logged out without closing (ManageSieve's UNAUTHENTICATE, RFC 5804 §2.14.1): it is anonymous
     * again, with a fresh pre-auth deadline to log in by.
     */
    protected final void unauthenticated() throws IOException {
        user = null;
        connection.readTimeout(runtime.preAuthTimeout());
        deadlineSettled.set(false);
        enforcePreAuthDeadline(runtime.preAuthTimeout());
    }

    /**
     * Runs a wait the server imposes on its client before answering (a login penalty, a turn to check a password):
     * it is not idle time for the pre-auth deadline, and a kick or shutdown interrupts it.
     */
    public final void imposedWait(ImposedWaits.Wait wait) throws InterruptedException {
        imposedWaits.run(wait);
    }

    /**
     * The pre-auth timeout is a deadline, not a per-read timeout: a client dripping one byte at a
     * time still leaves when it has not logged in by then. Time the server makes the client wait
     * ({@link #imposedWait}) does not count.
     */
    private void enforcePreAuthDeadline(Duration deadline) {
        preAuthDeadline = Thread.ofVirtual().name("preauth-" + id).start(() -> {
            try {
                imposedWaits.awaitClientTime(deadline);
            } catch (InterruptedException e) {
                return;
            }
            if (user == null && deadlineSettled.compareAndSet(false, true)) {
                terminate("Disconnected for inactivity.");
            }
        });
    }

    /**
     * Once the deadline has fired, its thread is writing the last words and is not interrupted.
     * The session lets go of the thread either way (a few hundred bytes per idle session).
     */
    private void cancelPreAuthDeadline() {
        if (preAuthDeadline != null && deadlineSettled.compareAndSet(false, true)) {
            preAuthDeadline.interrupt();
        }
        preAuthDeadline = null;
    }

    /** Writes the last words once, between responses (under the output lock). */
    private void lastWords(Ending ending, String text) {
        if (!lastWordsSent.compareAndSet(false, true)) {
            return;
        }
        var lock = connection.outputLock();
        lock.lock();
        try {
            var out = connection.output();
            out.write(lastLine(ending, text));
            out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        } finally {
            lock.unlock();
            lastWordsWritten.countDown();
        }
    }

    /**
     * When another thread (a kick, the pre-auth deadline) is writing the last words, the session
     * closes the connection only once they are out.
     */
    private void awaitLastWords() {
        if (!lastWordsSent.get()) {
            return;
        }
        try {
            lastWordsWritten.await(LAST_WORDS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] lastLine(Ending ending, String text) {
        return (farewell.line(ending, text) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public final void terminate(String reason) {
        endReason = reason;
        imposedWaits.end();
        if (waitingForInput && lastWordsSent.compareAndSet(false, true)) {
            try {
                connection.closeWith(lastLine(Ending.TERMINATED, reason), LAST_WORDS_WAIT);
            } finally {
                lastWordsWritten.countDown();
            }
        }
    }

    @Override
    public final void abort() {
        connection.close();
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String protocol() {
        return protocol;
    }

    @Override
    public final Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public final InetSocketAddress remote() {
        return connection.remote();
    }

    @Override
    public final Instant started() {
        return started;
    }

    @Override
    public final boolean tls() {
        return connection.isTls();
    }
}
