package org.roost.sieve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends mail through the configured SMTP relay ({@code sieve.relay}), the only way redirected mail and vacation
 * replies leave: EHLO, MAIL, RCPT, DATA with CRLF line ends and dot-stuffing (RFC 5321 §4.5.2), QUIT. Every read
 * waits at most {@code timeout}; any reply other than the expected class is a failure.
 */
final class Relay {
    private static final int MAX_REPLY_LINE = 4096;
    private final String host;
    private final int port;
    private final Duration timeout;
    private final String hostname;

    Relay(String relay, Duration timeout, String hostname) {
        int colon = relay.lastIndexOf(':');
        var name = relay.substring(0, colon);
        this.host = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        this.port = Integer.parseInt(relay.substring(colon + 1));
        this.timeout = timeout;
        this.hostname = hostname;
    }

    /** Sends {@code message} from {@code sender} ("" for the null sender) to {@code recipient}. */
    void send(String sender, String recipient, InputStream message) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            var in = new BufferedInputStream(socket.getInputStream());
            var out = new BufferedOutputStream(socket.getOutputStream());
            expect(in, 2, "greeting");
            command(out, in, "EHLO " + hostname, 2);
            command(out, in, "MAIL FROM:<" + sender + ">", 2);
            command(out, in, "RCPT TO:<" + recipient + ">", 2);
            command(out, in, "DATA", 3);
            writeData(message, out);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(in, 2, "end of data");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static void command(OutputStream out, InputStream in, String line, int expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, expected, line.split("[ :]")[0]);
    }

    /** Reads a whole (multi-line) reply; fails unless its code starts with {@code expected}. */
    private static void expect(InputStream in, int expected, String after) throws IOException {
        String line;
        do {
            line = readLine(in);
            if (line.length() < 3) {
                throw new IOException("the relay answered " + after + " with '" + line + "'");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (line.charAt(0) != '0' + expected) {
            throw new IOException("the relay refused " + after + ": " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() >= MAX_REPLY_LINE) {
                throw new IOException("the relay sent an overlong reply line");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0) {
            throw new IOException("the relay closed the connection");
        }
        return line.toString();
    }

    /** The message with every line end made CRLF and every line starting with '.' given one more. */
    private static void writeData(InputStream message, OutputStream out) throws IOException {
        var in = new BufferedInputStream(message);
        boolean lineStart = true;
        int previous = -1;
        int c;
        while ((c = in.read()) >= 0) {
            if (lineStart && c == '.') {
                out.write('.');
            }
            if (c == '\n' && previous != '\r') {
                out.write('\r');
            }
            out.write(c);
            lineStart = c == '\n';
            previous = c;
        }
        if (!lineStart) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
