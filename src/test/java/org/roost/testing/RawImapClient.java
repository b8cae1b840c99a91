package org.roost.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A byte-exact IMAP client over a raw socket: what it sends is exactly what the test wrote, and
 * what it reads is each line as the server sent it (without the CRLF, which it checks is there).
 * Reads time out after {@link #READ_TIMEOUT_MS} so a broken server fails the test instead of hanging it.
 */
public final class RawImapClient implements AutoCloseable {
    public static final int READ_TIMEOUT_MS = 20_000;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawImapClient(Socket socket) throws IOException {
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    public static RawImapClient connect(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port), null);
    }

    /** Connects from {@code localAddress} (e.g. 127.0.0.2, to look like another client host). */
    public static RawImapClient connect(InetSocketAddress server, String localAddress) throws IOException {
        var socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(server, READ_TIMEOUT_MS);
        return new RawImapClient(socket);
    }

    public static RawImapClient connectTls(String host, int port) throws IOException {
        var plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
        var ssl = (SSLSocket) TrustAll.context().getSocketFactory().createSocket(plain, host, port, true);
        ssl.setSoTimeout(READ_TIMEOUT_MS);
        ssl.startHandshake();
        return new RawImapClient(ssl);
    }

    /** Upgrades this connection to TLS (after the server's OK to STARTTLS). */
    public void startTls() throws IOException {
        var address = (InetSocketAddress) socket.getRemoteSocketAddress();
        var ssl = (SSLSocket) TrustAll.context().getSocketFactory()
                .createSocket(socket, address.getHostString(), address.getPort(), true);
        ssl.startHandshake();
        attach(ssl);
    }

    public Socket socket() {
        return socket;
    }

    /** Sends {@code line} followed by CRLF. */
    public RawImapClient send(String line) throws IOException {
        return write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public RawImapClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One response line without its CRLF; fails when the line does not end in CRLF. */
    public String readLine() throws IOException {
        var buffer = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("server closed the connection; partial line: "
                        + buffer.toString(StandardCharsets.UTF_8));
            }
            if (c == '\n') {
                if (previous != '\r') {
                    throw new IOException("line not ended by CRLF: " + buffer.toString(StandardCharsets.UTF_8));
                }
                var bytes = buffer.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            buffer.write(c);
            previous = c;
        }
    }

    /** Exactly {@code n} bytes (of a literal). */
    public byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Sends {@code tag command} and returns every line up to and including the tagged one. */
    public List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command);
        return readUntilTagged(tag);
    }

    public List<String> readUntilTagged(String tag) throws IOException {
        var lines = new ArrayList<String>();
        while (true) {
            var line = readLine();
            lines.add(line);
            if (line.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** The last line of {@link #command}: the tagged status. */
    public String tagged(String tag, String command) throws IOException {
        var lines = command(tag, command);
        return lines.getLast();
    }

    /** Reads the greeting line. */
    public String greeting() throws IOException {
        return readLine();
    }

    /**
     * Fails unless the server has closed the connection: the next read must see end of stream (or a
     * reset, which is how TCP reports a close while client data was still unread). More data fails.
     */
    public void assertClosedByServer() throws IOException {
        try {
            int c = in.read();
            if (c >= 0) {
                throw new AssertionError("expected the connection to be closed, but got more data: '"
                        + (char) c + restOfLine() + "'");
            }
        } catch (SocketException e) {
            // connection reset: closed as well
        }
    }

    private String restOfLine() {
        try {
            return readLine();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
