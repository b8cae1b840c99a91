package org.roost.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.roost.config.Cidr;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Accepts connections on one address and runs each on its own virtual thread.
 * With a TLS context the listener speaks implicit TLS (IMAPS, POP3S); the handshake happens on
 * the connection's thread so a slow client never blocks the accept loop.
 */
public final class Listener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Listener.class.getName());
    private final String name;
    private final InetSocketAddress bindAddress;
    private final Supplier<SSLContext> implicitTls;
    private final ConnectionHandler handler;
    private final ConnectionLimits limits;
    private final TrafficMeter meter;
    private final Duration handshakeTimeout;
    private List<Cidr> proxyTrusted;
    private ServerSocket server;
    private Thread acceptThread;

    public Listener(String name, InetSocketAddress bindAddress, Supplier<SSLContext> implicitTls,
            ConnectionHandler handler, ConnectionLimits limits, TrafficMeter meter, Duration handshakeTimeout) {
        this.name = name;
        this.bindAddress = bindAddress;
        this.implicitTls = implicitTls;
        this.handler = handler;
        this.limits = limits;
        this.meter = meter;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** Resolves a config address: {@code *} and {@code ::} mean every address of both IP versions. */
    public static InetSocketAddress bindAddress(String address, int port) throws IOException {
        if (address.equals("*") || address.equals("::")) {
            return new InetSocketAddress(port);
        }
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    public void start() throws IOException {
        server = new SlotServerSocket();
        server.setReuseAddress(true);
        server.bind(bindAddress, 512);
        acceptThread = Thread.ofVirtual().name("accept-" + name).start(this::acceptLoop);
        LOG.log(Level.INFO, "{0} listening on {1}", name, server.getLocalSocketAddress());
    }

    public int port() {
        return server.getLocalPort();
    }

    public String name() {
        return name;
    }

    public boolean isBound() {
        return server != null && server.isBound() && !server.isClosed();
    }

    /** True while the accept loop runs (for the liveness check). */
    public boolean isAccepting() {
        return acceptThread != null && acceptThread.isAlive();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                var socket = server.accept();
                Thread.ofVirtual().name(name + "-" + socket.getRemoteSocketAddress()).start(() -> handle(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(Level.WARNING, "{0}: accept failed: {1}", name, e.getMessage());
                    backOff(); // e.g. out of file descriptors: do not spin
                }
            }
        }
    }

    private static void backOff() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Socket plain) {
        try (plain) {
            plain.setTcpNoDelay(true);
            var remote = clientAddress(plain);
            if (remote == null) {
                return;
            }
            switch (limits.admit(remote.getAddress())) {
                case ConnectionLimits.Admission.Refused refused -> refuse(secured(plain), remote, refused.reason());
                case ConnectionLimits.Admission.Granted granted -> serve(plain, remote, granted.permit());
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: connection from {1} ended: {2}", name, plain.getRemoteSocketAddress(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": unexpected error on connection from " + plain.getRemoteSocketAddress(), e);
        }
    }

    /**
     * The slot goes back the moment the socket closes, whoever closes it (the session at LOGOUT or
     * on an error, an admin kick, the shutdown), not when this thread is done; the outer
     * {@code permit} covers a TLS handshake that fails before there is a connection.
     */
    private void serve(Socket plain, InetSocketAddress remote, ConnectionLimits.Permit permit) throws IOException {
        ((SlotSocket) plain).beforeClose(permit::close);
        try (permit; var connection = new Connection(secured(plain), meter, remote, permit::close)) {
            handler.serve(connection);
        }
    }

    /**
     * The client's address: the peer's, or with the PROXY protocol the one the trusted balancer
     * reports. Null when a peer outside the trusted networks connects to a proxied listener.
     */
    private InetSocketAddress clientAddress(Socket plain) throws IOException {
        var peer = (InetSocketAddress) plain.getRemoteSocketAddress();
        if (proxyTrusted == null) {
            return peer;
        }
        if (proxyTrusted.stream().noneMatch(n -> n.contains(peer.getAddress()))) {
            LOG.log(Level.WARNING, "{0}: refused {1}: not a trusted PROXY sender", name, peer);
            return null;
        }
        plain.setSoTimeout((int) handshakeTimeout.toMillis());
        return ProxyProtocol.read(plain.getInputStream()).orElse(peer);
    }

    /** Expect a PROXY v1/v2 header on every connection, accepted only from {@code trusted} peers. */
    public Listener proxied(List<Cidr> trusted) {
        this.proxyTrusted = List.copyOf(trusted);
        return this;
    }

    /** The socket the protocol speaks on: with implicit TLS, wrapped (the handshake follows in {@link Connection}). */
    private Socket secured(Socket plain) throws IOException {
        if (implicitTls == null) {
            return plain;
        }
        plain.setSoTimeout((int) handshakeTimeout.toMillis());
        var ssl = (SSLSocket) implicitTls.get().getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        ssl.setUseClientMode(false);
        TlsContexts.restrictProtocols(ssl);
        return ssl;
    }

    private void refuse(Socket socket, InetSocketAddress remote, String reason) throws IOException {
        try (var connection = new Connection(socket, meter, remote, () -> {})) {
            handler.refuse(connection, reason);
            connection.output().flush();
        }
        LOG.log(Level.INFO, "{0}: refused {1}: {2}", name, remote, reason);
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // nothing to do: we are stopping
        }
    }

    /** Accepts {@link SlotSocket}s. */
    private static final class SlotServerSocket extends ServerSocket {
        SlotServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            var socket = new SlotSocket();
            implAccept(socket);
            return socket;
        }
    }

    /**
     * A client socket that gives its per-IP slot back before it closes, whoever closes it: an
     * implicit-TLS socket whose handshake fails is closed by the TLS layer itself, and a client
     * reconnecting at once must find the slot free.
     */
    private static final class SlotSocket extends Socket {
        private volatile Runnable beforeClose = () -> { };

        void beforeClose(Runnable action) {
            beforeClose = action;
        }

        @Override
        public void close() throws IOException {
            beforeClose.run();
            super.close();
        }
    }
}
