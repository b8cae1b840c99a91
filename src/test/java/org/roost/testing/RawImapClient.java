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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.SSLSocket;

/**
 * The byte-exact IMAP client of the tests, over a raw socket: what it sends is exactly what the
 * test wrote. It reads in two ways: {@link #readLine()} gives each line as the server sent it
 * (UTF-8, without the CRLF, which it checks is there), and {@link #run}/{@link #readResponse()}
 * give whole responses byte for byte (ISO-8859-1, one char per byte) with the content of literals
 * kept inline exactly as sent: {@code * 1 FETCH (BODY[] {5}\r\nhello)}. Reads time out after
 * {@link #READ_TIMEOUT_MS}, so a broken server fails the test instead of hanging it.
 */
public final class RawImapClient implements AutoCloseable {
    public static final int READ_TIMEOUT_MS = 20_000;
    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d+)}$");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String greeting;
    private int tagCounter;

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

    /**
     * Compresses both ways from here on (after the server's OK to COMPRESS DEFLATE, RFC 4978): raw DEFLATE,
     * each write sync-flushed, as clients do.
     */
    public void compress() throws IOException {
        in = new BufferedInputStream(new InflaterInputStream(socket.getInputStream(), new Inflater(true)));
        out = new DeflaterOutputStream(socket.getOutputStream(), new Deflater(Deflater.DEFAULT_COMPRESSION, true), true);
    }

    /** Back to plain streams (after UNAUTHENTICATE's OK under COMPRESS, RFC 8437 §4.1). */
    public void decompress() throws IOException {
        attach(socket);
    }

    public Socket socket() {
        return socket;
    }

    /** Sends {@code line} followed by CRLF. */
    public RawImapClient send(String line) throws IOException {
        return write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code raw} exactly, one byte per char (ISO-8859-1), line ends included. */
    public RawImapClient write(String raw) throws IOException {
        return write(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawImapClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One response line without its CRLF, as UTF-8; fails when the line does not end in CRLF. */
    public String readLine() throws IOException {
        var bytes = readUntilLf();
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
            throw new IOException("line not ended by CRLF: " + new String(bytes, StandardCharsets.UTF_8));
        }
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
    }

    /** The greeting line, read on the first call. */
    public String greeting() throws IOException {
        if (greeting == null) {
            greeting = readLine();
        }
        return greeting;
    }

    /** Exactly {@code n} bytes (of a literal). */
    public byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Sends {@code tag command} and returns every line up to and including the tagged one. */
    public List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command);
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
        return command(tag, command).getLast();
    }

    /** The server's answer to one command: untagged and continuation lines, then the tagged line. */
    public record Response(List<String> untagged, String tagged) {
        /** The untagged lines that start with {@code prefix} (after "* "). */
        public List<String> untagged(String prefix) {
            return untagged.stream().filter(l -> l.startsWith("* " + prefix)).toList();
        }

        public boolean ok() {
            return tagged.split(" ", 3)[1].equals("OK");
        }

        /** The status and text after the tag, e.g. "NO [TRYCREATE] Mailbox does not exist." */
        public String status() {
            return tagged.substring(tagged.indexOf(' ') + 1);
        }

        @Override
        public String toString() {
            return String.join("\n", untagged) + "\n" + tagged;
        }
    }

    public String nextTag() {
        return "a" + (++tagCounter);
    }

    /** Sends {@code tag command CRLF} with a fresh tag and reads up to the tagged completion. */
    public Response run(String command) throws IOException {
        var tag = nextTag();
        write(tag + " " + command + "\r\n");
        return readUntilTagged(tag);
    }

    /** Runs a command that must complete with OK. */
    public Response expectOk(String command) throws IOException {
        var r = run(command);
        if (!r.ok()) {
            throw new AssertionError("expected OK for " + command + " but got:\n" + r);
        }
        return r;
    }

    /** Reads responses until the one tagged {@code tag}. */
    public Response readUntilTagged(String tag) throws IOException {
        var lines = new ArrayList<String>();
        while (true) {
            var line = readResponse();
            if (line.startsWith(tag + " ")) {
                return new Response(List.copyOf(lines), line);
            }
            lines.add(line);
        }
    }

    /** APPEND with a synchronizing literal: waits for the "+" continuation before sending the message. */
    public Response append(String mailbox, String flagsAndDate, byte[] message) throws IOException {
        var tag = nextTag();
        write(tag + " APPEND " + mailbox + (flagsAndDate.isEmpty() ? "" : " " + flagsAndDate)
                + " {" + message.length + "}\r\n");
        var continuation = readResponse();
        if (continuation.startsWith(tag + " ")) {
            return new Response(List.of(), continuation);
        }
        if (!continuation.startsWith("+")) {
            throw new AssertionError("expected a continuation, got " + continuation);
        }
        write(message);
        write("\r\n");
        return readUntilTagged(tag);
    }

    public Response append(String mailbox, String message) throws IOException {
        return append(mailbox, "", message.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** APPEND with a non-synchronizing literal (RFC 7888 LITERAL+): command and message in one go. */
    public Response appendAtOnce(String mailbox, String flagsAndDate, byte[] message) throws IOException {
        var tag = nextTag();
        write(tag + " APPEND " + mailbox + (flagsAndDate.isEmpty() ? "" : " " + flagsAndDate)
                + " {" + message.length + "+}\r\n");
        write(message);
        write("\r\n");
        return readUntilTagged(tag);
    }

    /**
     * One response line without its CRLF, one char per byte; when the line ends in a literal
     * announcement, the literal's bytes and the rest of the line are read too.
     */
    public String readResponse() throws IOException {
        var sb = new StringBuilder();
        while (true) {
            var line = readIsoLine();
            sb.append(line);
            var m = LITERAL_AT_END.matcher(line);
            if (!m.find()) {
                return sb.toString();
            }
            int size = Integer.parseInt(m.group(1));
            var data = in.readNBytes(size);
            if (data.length < size) {
                throw new EOFException("connection closed inside a literal");
            }
            sb.append("\r\n").append(new String(data, StandardCharsets.ISO_8859_1));
        }
    }

    /** A line ended by CRLF (a bare LF stays in it), one char per byte. */
    private String readIsoLine() throws IOException {
        var line = new ByteArrayOutputStream();
        while (true) {
            var bytes = readUntilLf();
            line.writeBytes(bytes);
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                return new String(line.toByteArray(), 0, line.size() - 1, StandardCharsets.ISO_8859_1);
            }
            line.write('\n');
        }
    }

    /** The bytes up to the next LF, without it. */
    private byte[] readUntilLf() throws IOException {
        var buffer = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("server closed the connection; partial line: "
                        + buffer.toString(StandardCharsets.UTF_8));
            }
            if (c == '\n') {
                return buffer.toByteArray();
            }
            buffer.write(c);
        }
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
        } catch (SocketException | EOFException e) {
            // connection reset, or a compressed stream cut off after its last flush: closed as well
        }
    }

    private String restOfLine() {
        try {
            return readLine();
        } catch (IOException e) {
            return "";
        }
    }

    /** True when the server closed the connection (reads EOF within the socket timeout). */
    public boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain what is left
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** How long a read waits before it fails. */
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
