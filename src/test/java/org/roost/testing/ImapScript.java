package org.roost.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A whole IMAP session written at once and its answers read to the end: each command a line, or a
 * {@code Object[] {"tag APPEND box", bytes}} pair sent as a LITERAL+ literal. The same script goes to
 * Roost over a socket and to Dovecot on standard input, so their answers can be compared.
 */
public final class ImapScript {
    private ImapScript() {
    }

    static byte[] bytes(List<Object> commands) {
        var input = new ByteArrayOutputStream();
        for (var command : commands) {
            if (command instanceof String line) {
                input.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else {
                var pair = (Object[]) command;
                var literal = (byte[]) pair[1];
                input.writeBytes((pair[0] + " {" + literal.length + "+}\r\n").getBytes(StandardCharsets.UTF_8));
                input.writeBytes(literal);
                input.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        return input.toByteArray();
    }

    /** Runs the script on a server at 127.0.0.1:{@code port}; it should end with LOGOUT. */
    public static String run(int port, List<Object> commands) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(RawImapClient.READ_TIMEOUT_MS);
            socket.getOutputStream().write(bytes(commands));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
