package org.roost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback relay to a MariaDB server that breaks the connection carrying the first {@code COM_PING} it sees:
 * the database going away while a pool checks its first connection. Everything else passes unchanged.
 */
public final class FirstPingCutter implements AutoCloseable {
    /** A MySQL packet whose payload is the one byte {@code COM_PING}: length 1, any sequence number, 0x0e. */
    private static final int COM_PING = 0x0e;

    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicBoolean pingCut = new AtomicBoolean();

    private FirstPingCutter(ServerSocket listener, int upstreamPort) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
    }

    public static FirstPingCutter start(int upstreamPort) throws IOException {
        var cutter = new FirstPingCutter(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstreamPort);
        Thread.ofVirtual().name("ping-cutter").start(cutter::accept);
        return cutter;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Whether a ping was cut yet. */
    public boolean cut() {
        return pingCut.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var client = listener.accept();
                var server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                var fromServer = server.getInputStream();
                var fromClient = client.getInputStream();
                Thread.ofVirtual().start(() -> pump(fromServer, client, server, false));
                Thread.ofVirtual().start(() -> pump(fromClient, server, client, true));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * Copies one direction packet by packet (a 4-byte header with a 3-byte little-endian length, then the payload);
     * from the client, the first ping closes both sockets instead.
     */
    private void pump(InputStream in, Socket to, Socket from, boolean fromClient) {
        try (to; from) {
            OutputStream out = to.getOutputStream();
            byte[] header;
            while ((header = in.readNBytes(4)).length == 4) {
                int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
                byte[] payload = in.readNBytes(length);
                if (fromClient && length == 1 && payload[0] == COM_PING && pingCut.compareAndSet(false, true)) {
                    return;
                }
                out.write(header);
                out.write(payload);
                out.flush();
            }
        } catch (IOException closed) {
            // one side went away: closing both ends the relay of this connection
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
