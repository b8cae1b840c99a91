package org.roost.net;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One client connection: buffered blocking I/O on a socket, with an in-place TLS upgrade and
 * DEFLATE compression above it (compressed, then encrypted: RFC 4978 §3).
 * Used from the connection's own virtual thread; {@link #outputLock()} lets another thread
 * (shutdown, admin kick) write a final line without interleaving with a response.
 */
public final class Connection implements Closeable {
    /** Responses are gathered in this much, and only while one is being written. */
    private static final int OUTPUT_BUFFER = 16 * 1024;
    /**
     * Command lines are short and large literals bypass the buffer, so a small input buffer costs
     * no speed; it too is held only while it has unread bytes.
     */
    private static final int INPUT_BUFFER = 2 * 1024;
    private Socket socket;
    /** The socket's streams, counted: below compression, above TLS. */
    private InputStream plainIn;
    private OutputStream plainOut;
    private volatile InflatingInput inflating;
    private volatile DeflatingOutput deflating;
    private ReleasingBufferedInputStream in;
    private ReleasingBufferedOutputStream out;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final TrafficMeter meter;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock outputLock = new ReentrantLock();
    private volatile boolean tls;
    private volatile String tlsProtocol = "";

    public Connection(Socket socket, TrafficMeter meter) throws IOException {
        this(socket, meter, (InetSocketAddress) socket.getRemoteSocketAddress(), () -> {});
    }

    /**
     * {@code remote} is the client as known (from a PROXY header behind a load balancer);
     * {@code onClose} runs once when the connection is closed, whoever closes it.
     */
    public Connection(Socket socket, TrafficMeter meter, InetSocketAddress remote, Runnable onClose)
            throws IOException {
        this.remote = remote;
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.meter = meter;
        this.onClose = onClose;
        attach(socket);
        if (socket instanceof SSLSocket ssl) {
            handshake(ssl);
        }
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        plainIn = new CountingInput(s.getInputStream(), meter);
        plainOut = new CountingOutput(s.getOutputStream(), meter);
        buffer(plainIn, plainOut);
    }

    private void buffer(InputStream source, OutputStream sink) {
        this.in = new ReleasingBufferedInputStream(source, INPUT_BUFFER);
        this.out = new ReleasingBufferedOutputStream(sink, OUTPUT_BUFFER);
    }

    private void markTls(SSLSocket ssl) {
        tls = true;
        tlsProtocol = ssl.getSession().getProtocol();
    }

    /**
     * Upgrades to TLS after the protocol's "begin TLS" answer was flushed. Any plaintext the client
     * pipelined after the STARTTLS command is discarded with the old buffer (CVE-2011-0411 class).
     */
    public void startTls(SSLContext context) throws IOException {
        out.flush();
        var ssl = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, remote.getHostString(), remote.getPort(), true);
        ssl.setUseClientMode(false);
        TlsContexts.restrictProtocols(ssl);
        attach(ssl);
        handshake(ssl);
    }

    private void handshake(SSLSocket ssl) throws IOException {
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            meter.tlsHandshake("failed", false);
            throw e;
        }
        markTls(ssl);
        meter.tlsHandshake(tlsProtocol, true);
    }

    /**
     * Compresses both ways from here on (COMPRESS=DEFLATE, RFC 4978 §3), after the protocol's OK was
     * flushed. Bytes the client sent before it saw the OK can only be compressed already: they are inflated.
     */
    public void startCompression(Deflate deflate) throws IOException {
        out.flush();
        var early = in.takeBuffered();
        var input = new InflatingInput(prepend(early, plainIn), INPUT_BUFFER);
        var output = new DeflatingOutput(plainOut, deflate.level(), deflate.history());
        inflating = input;
        deflating = output;
        buffer(input, output);
    }

    /**
     * Ends compression both ways after the protocol's OK was flushed (UNAUTHENTICATE, RFC 8437 §4.1).
     * Plain bytes the client sent after the end of its DEFLATE stream are kept for the next read.
     */
    public void stopCompression() throws IOException {
        out.flush();
        if (in.takeBuffered().length > 0) {
            throw new CorruptCompression("Compressed input after the end of compression");
        }
        var plain = inflating.finish();
        deflating.end();
        inflating = null;
        deflating = null;
        buffer(prepend(plain, plainIn), plainOut);
    }

    public boolean isCompressed() {
        return deflating != null;
    }

    private static InputStream prepend(byte[] head, InputStream tail) {
        return head.length == 0 ? tail : new SequenceInputStream(new ByteArrayInputStream(head), tail);
    }

    /** True when plaintext bytes are already waiting (used to reject pipelining after STARTTLS). */
    public boolean hasBufferedInput() throws IOException {
        return in.available() > 0;
    }

    public InputStream input() {
        return in;
    }

    /**
     * Whether the client closed (or reset) the connection, learnt without taking its input: bytes
     * already buffered mean it is there; otherwise a read waits at most a millisecond, end of
     * stream or an error means gone, silence means there, and a byte read stays buffered for the
     * next command. Safe over TLS (a read that times out keeps a partial record for the next one).
     * Called by the connection's own thread between reads, never while it reads.
     */
    public boolean clientGone() {
        try {
            if (in.available() > 0) {
                return false;
            }
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout(1);
            try {
                in.mark(1);
                if (in.read() < 0) {
                    return true;
                }
                in.reset();
                return false;
            } finally {
                socket.setSoTimeout(timeout);
            }
        } catch (SocketTimeoutException silent) {
            return false;
        } catch (IOException closedOrReset) {
            return true;
        }
    }

    public OutputStream output() {
        return out;
    }

    /** Whether an input or output buffer is held: an idle connection (between commands) holds none. */
    boolean holdsBuffers() {
        return in.holdsBuffer() || out.holdsBuffer();
    }

    public ReentrantLock outputLock() {
        return outputLock;
    }

    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public InetSocketAddress local() {
        return local;
    }

    public boolean isTls() {
        return tls;
    }

    public String tlsProtocol() {
        return tlsProtocol;
    }

    /** Writes a last line (e.g. "* BYE ...") and closes, without waiting longer than {@code wait} for the output. */
    public void closeWith(byte[] lastLine, Duration wait) {
        try {
            if (outputLock.tryLock(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                try {
                    out.write(lastLine);
                    out.flush();
                } finally {
                    outputLock.unlock();
                }
            }
        } catch (IOException | InterruptedException ignored) {
            // the connection is going away either way
        } finally {
            close();
        }
    }

    /**
     * Closes the socket; may be called from any thread, and more than once. {@code onClose} runs
     * first, so that a client which sees the close finds its slot free when it reconnects.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            onClose.run();
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket has nothing left to report
            }
            endCompression();
        }
    }

    /** After the socket is closed, so that a read or write in progress fails rather than holds the codec's lock. */
    private void endCompression() {
        var input = inflating;
        var output = deflating;
        if (input != null) {
            input.end();
        }
        if (output != null) {
            output.end();
        }
    }

    private static final class CountingInput extends FilterInputStream {
        private final TrafficMeter meter;

        CountingInput(InputStream in, TrafficMeter meter) {
            super(in);
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                meter.received(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                meter.received(n);
            }
            return n;
        }
    }

    private static final class CountingOutput extends FilterOutputStream {
        private final TrafficMeter meter;

        CountingOutput(OutputStream out, TrafficMeter meter) {
            super(out);
            this.meter = meter;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            meter.sent(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            meter.sent(len);
        }
    }
}
