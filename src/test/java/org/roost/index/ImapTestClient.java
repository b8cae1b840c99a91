package org.roost.index;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A minimal IMAP client for end-to-end tests: one command at a time, literals folded into the response lines. */
final class ImapTestClient implements Closeable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    /** The untagged lines of one command and its tagged status line. */
    record Response(List<String> untagged, String status) {
        boolean ok() {
            return status.split(" ", 3)[1].equals("OK");
        }
    }

    ImapTestClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        readLine(); // greeting
    }

    Response command(String command) throws IOException {
        var t = "t" + (++tag);
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readResponse(t);
    }

    /** APPEND with a non-synchronizing literal (LITERAL+). */
    Response append(String mailbox, String flags, byte[] message) throws IOException {
        var t = "t" + (++tag);
        out.write((t + " APPEND " + mailbox + " (" + flags + ") {" + message.length + "+}\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readResponse(t);
    }

    private Response readResponse(String t) throws IOException {
        var untagged = new ArrayList<String>();
        while (true) {
            var line = readLogicalLine();
            if (line.startsWith(t + " ")) {
                return new Response(untagged, line);
            }
            untagged.add(line);
        }
    }

    /** A response line with any literals it announces read into it. */
    private String readLogicalLine() throws IOException {
        var sb = new StringBuilder(readLine());
        var m = LITERAL.matcher(sb);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            sb.append("\r\n").append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
            sb.append(readLine());
            m = LITERAL.matcher(sb);
        }
        return sb.toString();
    }

    private String readLine() throws IOException {
        var buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                var bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
        }
        throw new IOException("connection closed");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
