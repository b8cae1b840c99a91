package org.roost.imap.rfc3501;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A raw IMAP client for byte-exact tests: it sends exactly the bytes given and returns the
 * server's responses as text (ISO-8859-1, so every byte maps to one char), with the content of
 * response literals kept inline exactly as sent: {@code * 1 FETCH (BODY[] {5}\r\nhello)}.
 */
public final class ImapClient implements AutoCloseable {
    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d+)}$");
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String greeting;
    private int tagCounter;

    public ImapClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        greeting = readResponse();
    }

    public String greeting() {
        return greeting;
    }

    /** The server's answer to one command: untagged/continuation lines, then the tagged line. */
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
        send(tag + " " + command + "\r\n");
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

    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
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
        send(tag + " APPEND " + mailbox + (flagsAndDate.isEmpty() ? "" : " " + flagsAndDate)
                + " {" + message.length + "}\r\n");
        var cont = readResponse();
        if (!cont.startsWith("+")) {
            var lines = new ArrayList<String>();
            lines.add(cont);
            if (cont.startsWith(tag + " ")) {
                return new Response(List.of(), cont);
            }
            throw new AssertionError("expected a continuation, got " + cont);
        }
        out.write(message);
        send("\r\n");
        return readUntilTagged(tag);
    }

    public Response append(String mailbox, String message) throws IOException {
        return append(mailbox, "", message.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * One response line without its CRLF; when the line ends in a literal announcement, the
     * literal's bytes and the rest of the line are read too.
     */
    public String readResponse() throws IOException {
        var sb = new StringBuilder();
        while (true) {
            var line = readLine();
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

    private String readLine() throws IOException {
        var buffer = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed; read so far: " + buffer.toString(StandardCharsets.ISO_8859_1));
            }
            if (c == '\n' && prev == '\r') {
                var bytes = buffer.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            buffer.write(c);
            prev = c;
        }
    }

    /** True when the server closed the connection (reads EOF within the socket timeout). */
    public boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain what is left
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
