package org.roost.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.roost.config.Cidr;
import org.roost.mail.OutOfFiles;
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
    /** Set instead of {@link #bindAddress} for a listener on a UNIX domain socket. */
    private Path unixPath;
    private ServerSocketChannel unixServer;
    private Thread acceptThread;
    /** Accepts that failed since the last one that worked; touched by the accept thread alone. */
    private int failedAccepts;

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

    /**
     * A listener on the UNIX domain socket {@code path} (Java 16+, JEP 380), for a client on this host such as
     * an MTA; its clients count as loopback clients. A socket left by an earlier run is replaced; any other
     * file at the path is not.
     */
    public static Listener unix(String name, Path path, ConnectionHandler handler, ConnectionLimits limits,
            TrafficMeter meter, Duration handshakeTimeout) {
        var listener = new Listener(name, null, null, handler, limits, meter, handshakeTimeout);
        listener.unixPath = path.toAbsolutePath();
        return listener;
    }

    public void start() throws IOException {
        if (unixPath != null) {
            startUnix();
            return;
        }
        server = new SlotServerSocket();
        server.setReuseAddress(true);
        server.bind(bindAddress, 512);
        acceptThread = Thread.ofVirtual().name("accept-" + name).start(this::acceptLoop);
        LOG.log(Level.INFO, "{0} listening on {1}", name, server.getLocalSocketAddress());
    }

    /**
     * The socket is made connectable by every local user (rw for all), as a loopback port is: who may reach it
     * is decided by the permissions of its directory.
     */
    private void startUnix() throws IOException {
        removeStaleSocket();
        Files.createDirectories(unixPath.getParent());
        unixServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unixServer.bind(UnixDomainSocketAddress.of(unixPath), 512);
        Files.setPosixFilePermissions(unixPath, PosixFilePermissions.fromString("rw-rw-rw-"));
        acceptThread = Thread.ofVirtual().name("accept-" + name).start(this::acceptUnixLoop);
        LOG.log(Level.INFO, "{0} listening on UNIX socket {1}", name, unixPath);
    }

    private void removeStaleSocket() throws IOException {
        if (!Files.exists(unixPath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(unixPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0140000) {
            throw new IOException(unixPath + " exists and is not a socket");
        }
        Files.delete(unixPath);
    }

    private void acceptUnixLoop() {
        while (unixServer.isOpen()) {
            try {
                var channel = unixServer.accept();
                acceptedAgain();
                Thread.ofVirtual().name(name + "-unix").start(() -> handleUnix(channel));
            } catch (IOException e) {
                if (unixServer.isOpen()) {
                    acceptFailed(e);
                }
            }
        }
    }

    private void handleUnix(SocketChannel channel) {
        try {
            handle(new UnixSocket(channel));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: connection ended: {1}", name, e.getMessage());
            try {
                channel.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    /** The TCP port, or -1 for a UNIX socket. */
    public int port() {
        return unixPath != null ? -1 : server.getLocalPort();
    }

    /** Where it listens, for health checks: "port 1143" or "UNIX socket /run/roost/lmtp". */
    public String endpoint() {
        return unixPath != null ? "UNIX socket " + unixPath : "port " + port();
    }

    public String name() {
        return name;
    }

    public boolean isBound() {
        if (unixPath != null) {
            return unixServer != null && unixServer.isOpen();
        }
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
                acceptedAgain();
                Thread.ofVirtual().name(name + "-" + socket.getRemoteSocketAddress()).start(() -> handle(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    acceptFailed(e);
                }
            }
        }
    }

    /**
     * Out of file descriptors (EMFILE), accept fails until some close, while the client waits in the backlog: the
     * loop neither spins nor ends, it tries again every {@link #backOff} until a descriptor is free, and logs the
     * first failure of a run (naming the shortage) and the recovery rather than ten lines a second.
     */
    private void acceptFailed(IOException e) {
        if (failedAccepts++ == 0) {
            LOG.log(Level.WARNING, "{0}: accept failed{1}: {2}; trying again until it works", name,
                    OutOfFiles.is(e) ? " (the process is out of file descriptors)" : "", e.getMessage());
        }
        backOff();
    }

    private void acceptedAgain() {
        if (failedAccepts > 0) {
            LOG.log(Level.INFO, "{0}: accepting again after {1} failed attempts", name, failedAccepts);
            failedAccepts = 0;
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
        if (plain instanceof SlotSocket slot) { // a UNIX socket has no TLS layer that could close it first
            slot.beforeClose(permit::close);
        }
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
            if (unixServer != null) {
                unixServer.close();
                Files.deleteIfExists(unixPath);
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
