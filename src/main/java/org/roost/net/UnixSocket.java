package org.roost.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection accepted on a UNIX domain socket, shown to the rest of the server as a {@link Socket}, so that
 * {@link Connection} and every protocol serve it unchanged. Its peer is on this host: it counts as a loopback
 * client ({@code 127.0.0.1}, port 0) for limits and logs. A UNIX channel has no read timeout, so one virtual
 * thread reads ahead into a buffer and the connection's reads wait on that buffer with the timeout.
 */
final class UnixSocket extends Socket {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final SocketChannel channel;
    private final TimedInput input;
    private final OutputStream output;
    private volatile int timeoutMillis;

    UnixSocket(SocketChannel channel) throws IOException {
        super((SocketImpl) null);
        this.channel = channel;
        this.input = new TimedInput();
        this.output = Channels.newOutputStream(channel);
        Thread.ofVirtual().name("unix-read").start(input::readAhead);
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void setSoTimeout(int timeout) {
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // no Nagle on a UNIX socket
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return LOCAL;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return LOCAL;
    }

    @Override
    public InetAddress getInetAddress() {
        return LOCAL.getAddress();
    }

    @Override
    public int getPort() {
        return 0;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
        input.closed();
    }

    /** Bytes the read-ahead thread has taken from the channel, handed to the connection's reads. */
    private final class TimedInput extends InputStream {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition filled = lock.newCondition();
        private final Condition drained = lock.newCondition();
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        private boolean end;
        private IOException failure;

        /** Runs on its own thread: fills the buffer whenever the connection has taken all of it. */
        void readAhead() {
            try {
                while (true) {
                    lock.lock();
                    try {
                        while (position < limit) {
                            drained.await();
                        }
                    } finally {
                        lock.unlock();
                    }
                    int n = channel.read(ByteBuffer.wrap(buffer));
                    lock.lock();
                    try {
                        if (n < 0) {
                            end = true;
                            filled.signalAll();
                            return;
                        }
                        position = 0;
                        limit = n;
                        filled.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (IOException e) {
                fail(e);
            } catch (InterruptedException e) {
                fail(new EOFException("interrupted"));
            }
        }

        private void fail(IOException e) {
            lock.lock();
            try {
                failure = e;
                filled.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void closed() {
            fail(new EOFException("connection closed"));
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            lock.lock();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
                while (position == limit && !end && failure == null) {
                    if (timeoutMillis <= 0) {
                        filled.await();
                    } else if (!filled.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                            && position == limit && !end && failure == null) {
                        throw new SocketTimeoutException("read timed out");
                    }
                }
                if (position == limit) {
                    if (failure != null && !end) {
                        throw failure;
                    }
                    return -1;
                }
                int n = Math.min(length, limit - position);
                System.arraycopy(buffer, position, bytes, offset, n);
                position += n;
                if (position == limit) {
                    drained.signalAll();
                }
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return limit - position;
            } finally {
                lock.unlock();
            }
        }
    }
}
