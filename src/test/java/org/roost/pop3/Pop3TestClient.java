package org.roost.pop3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.roost.testing.CrlfLines;

/** A byte-exact POP3 client for protocol tests: raw lines out, raw bytes in. */
final class Pop3TestClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    Pop3TestClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    Pop3TestClient(Socket socket) throws IOException {
        attach(socket);
        socket.setSoTimeout(20_000);
        greeting = line();
    }

    static Pop3TestClient implicitTls(int port, Path certificate) throws Exception {
        var ssl = (SSLSocket) sslContext(certificate).getSocketFactory().createSocket("127.0.0.1", port);
        ssl.startHandshake();
        return new Pop3TestClient(ssl);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Trusts exactly the server's self-signed certificate. */
    static SSLContext sslContext(Path certificate) throws Exception {
        var keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
        keyStore.load(null, null);
        try (var pem = Files.newInputStream(certificate)) {
            keyStore.setCertificateEntry("roost", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore);
        var context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Switches this connection to TLS after the server's +OK to STLS. */
    void upgrade(Path certificate) throws Exception {
        var ssl = (SSLSocket) sslContext(certificate).getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        attach(ssl);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a command and returns the one-line answer. */
    String command(String line) throws IOException {
        send(line);
        return line();
    }

    /** One response line without CRLF; fails when the line does not end in CRLF. */
    String line() throws IOException {
        return CrlfLines.read(in);
    }

    /** The raw bytes of a multi-line body, through and including the terminating ".CRLF". */
    byte[] multiline() throws IOException {
        var bytes = new ByteArrayOutputStream();
        int last4 = 0; // the four bytes before the current one, oldest in the high byte
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("server closed the connection inside a multi-line response");
            }
            bytes.write(b);
            n++;
            boolean terminator = b == '\n' && (last4 & 0xffff) == ('.' << 8 | '\r')
                    && (n == 3 || (last4 >>> 16) == ('\r' << 8 | '\n'));
            if (terminator) {
                return bytes.toByteArray();
            }
            last4 = last4 << 8 | b;
        }
    }

    String multilineText() throws IOException {
        return new String(multiline(), StandardCharsets.UTF_8);
    }

    /** True when the server closed the connection (reads EOF). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    void login(String user, String password) throws IOException {
        var u = command("USER " + user);
        var p = command("PASS " + password);
        if (!u.startsWith("+OK") || !p.startsWith("+OK")) {
            throw new IOException("login failed: " + u + " / " + p);
        }
    }

    /** Drops the connection without QUIT. */
    void drop() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
