package org.roost.lmtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A byte-exact LMTP client for tests: writes what it is given, reads whole (multi-line) replies. */
final class RawLmtpClient implements AutoCloseable {
    private final AutoCloseable socket;
    private final InputStream in;
    private final OutputStream out;

    private RawLmtpClient(AutoCloseable socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    static RawLmtpClient connect(int port) throws IOException {
        var socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        return new RawLmtpClient(socket, socket.getInputStream(), socket.getOutputStream());
    }

    static RawLmtpClient over(AutoCloseable socket, InputStream in, OutputStream out) {
        return new RawLmtpClient(socket, in, out);
    }

    RawLmtpClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawLmtpClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One reply; the lines of a multi-line reply joined with "\n". Null at the end of the stream. */
    String reply() throws IOException {
        var lines = new ArrayList<String>();
        while (true) {
            var line = line();
            if (line == null) {
                return lines.isEmpty() ? null : String.join("\n", lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    List<String> replies(int count) throws IOException {
        var out = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            out.add(reply());
        }
        return out;
    }

    /** A line without its CRLF (the CRLF is required). */
    private String line() throws IOException {
        var bytes = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                if (previous != '\r') {
                    throw new IOException("reply line without CRLF: " + bytes);
                }
                var text = bytes.toString(StandardCharsets.UTF_8);
                return text.substring(0, text.length() - 1);
            }
            bytes.write(b);
            previous = b;
        }
        return null;
    }

    /** Greeting, LHLO and its reply: ready for a transaction. */
    RawLmtpClient greeted() throws IOException {
        reply();
        send("LHLO client.example\r\n");
        reply();
        return this;
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
