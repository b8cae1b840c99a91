package org.roost.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small SMTP server on a loopback ephemeral port that accepts every message and keeps it, for tests of what
 * the server sends out (Sieve redirects and vacation replies); {@code refuse} makes it answer RCPT with 550.
 */
public final class SmtpCapture implements AutoCloseable {
    /** One message as received: the envelope and the data (dot-unstuffed, CRLF line ends). */
    public record Mail(String sender, List<String> recipients, String data) {}

    private final ServerSocket socket;
    private final LinkedBlockingQueue<Mail> mail = new LinkedBlockingQueue<>();
    private volatile boolean refuse;

    public SmtpCapture() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("smtp-capture").start(this::accept);
    }

    public String relay() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public void refuse(boolean refuse) {
        this.refuse = refuse;
    }

    /** The next message received, waiting at most {@code seconds}; null when none came. */
    public Mail next(int seconds) throws InterruptedException {
        return mail.poll(seconds, TimeUnit.SECONDS);
    }

    public int waiting() {
        return mail.size();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                var client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            var out = client.getOutputStream();
            reply(out, "220 capture ESMTP");
            String sender = null;
            var recipients = new ArrayList<String>();
            String line;
            while ((line = in.readLine()) != null) {
                var upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    reply(out, "250-capture\r\n250 8BITMIME");
                } else if (upper.startsWith("MAIL FROM:")) {
                    sender = line.substring(10).replaceAll("[<>]", "").strip();
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    if (refuse) {
                        reply(out, "550 5.1.1 refused");
                    } else {
                        recipients.add(line.substring(8).replaceAll("[<>]", "").strip());
                        reply(out, "250 2.1.5 Ok");
                    }
                } else if (upper.equals("DATA")) {
                    reply(out, "354 go ahead");
                    var data = new StringBuilder();
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
                    }
                    mail.add(new Mail(sender, List.copyOf(recipients), data.toString()));
                    recipients.clear();
                    reply(out, "250 2.0.0 queued");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 Ok");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
