package org.roost.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What every protocol session shows the registry: its identity, its connection and its user. */
public abstract class ProtocolSession implements SessionRegistry.LiveSession {
    protected final Connection connection;
    protected final String protocol;
    protected final String id;
    protected final Instant started = Instant.now();
    /** Set once the client has authenticated. */
    protected volatile String user;

    private final ImposedWaits imposedWaits = new ImposedWaits();
    private Thread preAuthDeadline;

    protected ProtocolSession(Connection connection, String protocol, String id) {
        this.connection = connection;
        this.protocol = protocol;
        this.id = id;
    }

    /**
     * The pre-auth timeout is a deadline, not a per-read timeout: a client dripping one byte at a
     * time still leaves when it has not logged in by then. Time the server makes the client wait
     * ({@link #imposedWait}) does not count.
     */
    protected void enforcePreAuthDeadline(Duration deadline) {
        preAuthDeadline = Thread.ofVirtual().name("preauth-" + id).start(() -> {
            try {
                imposedWaits.awaitClientTime(deadline);
            } catch (InterruptedException e) {
                return;
            }
            if (user == null) {
                terminate("Disconnected for inactivity.");
            }
        });
    }

    /** The session has logged in: the pre-auth deadline is over, and its waiting thread with it. */
    protected void authenticatedAs(String name) {
        user = name;
        cancelPreAuthDeadline();
    }

    /** Stops the pre-auth deadline's thread (at login, or when the session ends). */
    protected void cancelPreAuthDeadline() {
        if (preAuthDeadline != null) {
            preAuthDeadline.interrupt();
        }
    }

    /**
     * Runs a wait the server imposes on its client before answering (a login penalty, a turn to check a password):
     * it is not idle time for the pre-auth deadline, and {@link #cutShortImposedWaits} interrupts it.
     */
    public void imposedWait(ImposedWaits.Wait wait) throws InterruptedException {
        imposedWaits.run(wait);
    }

    /** The session is ending (kick, shutdown): an imposed wait in progress ends now, and no new one starts. */
    protected void cutShortImposedWaits() {
        imposedWaits.end();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public InetSocketAddress remote() {
        return connection.remote();
    }

    @Override
    public Instant started() {
        return started;
    }

    @Override
    public boolean tls() {
        return connection.isTls();
    }
}
