package org.roost.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One real IMAP session over a raw socket, as a load-test client needs it: tagged commands,
 * responses read line by line with literals skipped and counted (never kept, so a 1 MB body costs
 * no client heap), APPEND with a synchronizing or LITERAL+ literal, and IDLE.
 * Not thread-safe: one virtual thread drives one connection.
 */
public final class ImapConnection implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] skipBuffer;
    private byte[] line = new byte[256];
    private int lineLength;
    private long literalBytes;
    private int nextTag = 1;
    private String greeting;

    private ImapConnection(Socket socket, int bufferSize) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), bufferSize);
        this.out = new BufferedOutputStream(socket.getOutputStream(), bufferSize);
        this.skipBuffer = new byte[bufferSize];
    }

    /** Connects, completes the TLS handshake if asked, and reads the greeting. */
    public static ImapConnection open(Target target) throws IOException {
        return open(target, 64 * 1024);
    }

    /** As {@link #open(Target)} with a smaller buffer, for thousands of idle connections. */
    public static ImapConnection open(Target target, int bufferSize) throws IOException {
        var plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(target.host(), target.port()), target.timeoutMillis());
        Socket socket = plain;
        if (target.tls()) {
            var ssl = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(plain, target.host(), target.port(), true);
            ssl.setSoTimeout(target.timeoutMillis());
            ssl.startHandshake();
            socket = ssl;
        }
        socket.setSoTimeout(target.timeoutMillis());
        var connection = new ImapConnection(socket, bufferSize);
        try {
            connection.greeting = connection.readLine();
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        if (!connection.greeting.startsWith("* OK") && !connection.greeting.startsWith("* PREAUTH")) {
            connection.close();
            throw new IOException("unexpected greeting: " + connection.greeting);
        }
        return connection;
    }

    public String greeting() {
        return greeting;
    }

    /** Sends {@code TAG text} and reads up to the tagged answer. */
    public Exchange command(String text) throws IOException {
        String tag = tag();
        writeLine(tag + " " + text);
        out.flush();
        return readUntilTagged(tag, text, new ArrayList<>());
    }

    /** LOGIN with both arguments as quoted strings. */
    public Exchange login(String user, String password) throws IOException {
        return command("LOGIN " + quoted(user) + " " + quoted(password));
    }

    /**
     * APPEND {@code message} to {@code mailbox}. With {@code literalPlus} the literal follows at
     * once (RFC 7888); otherwise the client waits for the continuation request.
     */
    public Exchange append(String mailbox, String flags, byte[] message, boolean literalPlus) throws IOException {
        String tag = tag();
        String head = "APPEND " + quoted(mailbox) + (flags.isEmpty() ? "" : " (" + flags + ")")
                + " {" + message.length + (literalPlus ? "+}" : "}");
        writeLine(tag + " " + head);
        var untagged = new ArrayList<String>();
        literalBytes = 0;
        if (!literalPlus) {
            out.flush();
            while (true) {
                String response = readLine();
                if (response.startsWith("+")) {
                    break;
                }
                if (response.startsWith(tag + " ")) {
                    return new Exchange(head, untagged, response.substring(tag.length() + 1), literalBytes);
                }
                untagged.add(response);
            }
        }
        out.write(message);
        out.write(CRLF);
        out.flush();
        return readUntilTagged(tag, head, untagged);
    }

    /** Sends IDLE and waits for the continuation; untagged lines seen before it go to {@code seen}. */
    public String startIdle(List<String> seen) throws IOException {
        String tag = tag();
        writeLine(tag + " IDLE");
        out.flush();
        while (true) {
            String response = readLine();
            if (response.startsWith("+")) {
                return tag;
            }
            if (response.startsWith(tag + " ")) {
                throw new IOException("IDLE refused: " + response);
            }
            seen.add(response);
        }
    }

    /** Sends DONE and reads to the tagged end of the IDLE started under {@code tag}. */
    public Exchange finishIdle(String tag, List<String> seen) throws IOException {
        writeLine("DONE");
        out.flush();
        return readUntilTagged(tag, "IDLE", seen);
    }

    /** Reads one response line (literals skipped, their markers kept). */
    public String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            readRawLine();
            int size = literalAtEnd();
            if (size < 0) {
                return new String(line, 0, lineLength, StandardCharsets.UTF_8);
            }
            skip(size);
            literalBytes += size;
        }
    }

    private Exchange readUntilTagged(String tag, String command, List<String> untagged) throws IOException {
        literalBytes = 0;
        String prefix = tag + " ";
        while (true) {
            String response = readLine();
            if (response.startsWith(prefix)) {
                return new Exchange(command, untagged, response.substring(prefix.length()), literalBytes);
            }
            if (response.startsWith("* BYE") && !command.equals("LOGOUT")) {
                throw new IOException("server said " + response + " to " + command);
            }
            untagged.add(response);
        }
    }

    /** Appends one CRLF-terminated line (without the CRLF) to {@link #line}. */
    private void readRawLine() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("server closed the connection");
            }
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return;
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = (byte) b;
        }
    }

    /** The size of a literal announced at the end of the current line, or -1. */
    private int literalAtEnd() {
        int end = lineLength - 1;
        if (end < 2 || line[end] != '}') {
            return -1;
        }
        int i = end - 1;
        if (line[i] == '+') {
            i--;
        }
        int digits = 0;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
            digits++;
        }
        if (digits == 0 || digits > 10 || i < 0 || line[i] != '{') {
            return -1;
        }
        long size = 0;
        for (int k = i + 1; k <= i + digits; k++) {
            size = size * 10 + (line[k] - '0');
        }
        return size > Integer.MAX_VALUE ? -1 : (int) size;
    }

    private void skip(int size) throws IOException {
        int left = size;
        while (left > 0) {
            int n = in.read(skipBuffer, 0, Math.min(left, skipBuffer.length));
            if (n < 0) {
                throw new EOFException("server closed the connection inside a literal");
            }
            left -= n;
        }
    }

    private void writeLine(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    private String tag() {
        return "b" + nextTag++;
    }

    static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may already be gone
        }
    }

    private static final SSLContext TRUST_ALL = trustAll();

    /** Benchmarks talk to servers with throw-away self-signed certificates on loopback. */
    private static SSLContext trustAll() {
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
