package org.roost.managesieve;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.roost.testing.CrlfLines;
import org.roost.testing.TrustAll;

/** A byte-exact ManageSieve client for protocol tests: raw commands out, whole responses (literals inlined) in. */
final class ManageSieveTestClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    ManageSieveTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        attach(socket);
        greeting = response();
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Switches to TLS after the server's OK to STARTTLS; returns what the server says first under TLS. */
    String upgrade() throws IOException {
        var ssl = (SSLSocket) TrustAll.context().getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        attach(ssl);
        return response();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a command line (CRLF added) and returns the whole response through its OK, NO or BYE line. */
    String command(String line) throws IOException {
        sendRaw(line + "\r\n");
        return response();
    }

    /** Logs in with PLAIN and an initial response; returns the answer. */
    String login(String user, String password) throws IOException {
        var plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTHENTICATE \"PLAIN\" \"" + plain + "\"");
    }

    /** Lines (CRLF kept, literals inlined) up to and including one that starts with OK, NO or BYE. */
    String response() throws IOException {
        var text = new StringBuilder();
        while (true) {
            var line = line();
            text.append(line).append("\r\n");
            var upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("OK") || upper.startsWith("NO") || upper.startsWith("BYE")) {
                return text.toString();
            }
        }
    }

    /** One line; a literal at its end is read and the line goes on after it. */
    String line() throws IOException {
        var text = new StringBuilder(rawLine());
        var literal = LITERAL.matcher(text);
        while (literal.find()) {
            text.append("\r\n").append(new String(in.readNBytes(Integer.parseInt(literal.group(1))),
                    StandardCharsets.UTF_8));
            text.append(rawLine());
            literal = LITERAL.matcher(text);
        }
        return text.toString();
    }

    private String rawLine() throws IOException {
        return CrlfLines.read(in);
    }

    /** True once the server closed the connection (read returns end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
