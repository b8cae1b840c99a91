package org.roost.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the HAProxy PROXY protocol header (v1 text and v2 binary) that a load balancer sends
 * before the client's first byte, so that logs, penalties and per-IP limits see the real client.
 * Reads exactly the header's bytes from the unbuffered socket stream, nothing more.
 */
public final class ProxyProtocol {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V1_MAX = 107;
    private static final int V2_MAX_LENGTH = 4096;

    private ProxyProtocol() {}

    /** A header that does not follow the specification; the connection is dropped. */
    public static final class BadHeader extends IOException {
        BadHeader(String message) {
            super(message);
        }
    }

    /** The client's address, or empty for v1 UNKNOWN / v2 LOCAL (health checks of the balancer itself). */
    public static Optional<InetSocketAddress> read(InputStream in) throws IOException {
        int first = readByte(in);
        return first == 'P' ? readV1(in) : readV2(in, first);
    }

    private static Optional<InetSocketAddress> readV1(InputStream in) throws IOException {
        var line = new StringBuilder("P");
        while (true) {
            int c = readByte(in);
            if (c == '\n') {
                break;
            }
            line.append((char) c);
            if (line.length() > V1_MAX) {
                throw new BadHeader("PROXY v1 header too long");
            }
        }
        var text = line.toString().stripTrailing();
        var parts = text.split(" ");
        if (parts.length < 2 || !parts[0].equals("PROXY")) {
            throw new BadHeader("not a PROXY header");
        }
        if (parts[1].equals("UNKNOWN")) {
            return Optional.empty();
        }
        if (parts.length != 6 || !(parts[1].equals("TCP4") || parts[1].equals("TCP6"))) {
            throw new BadHeader("malformed PROXY v1 header");
        }
        try {
            var address = InetAddress.getByAddress(org.roost.config.Cidr.parseLiteral(parts[2]));
            int port = Integer.parseInt(parts[4]);
            if (port < 0 || port > 65535) {
                throw new BadHeader("bad source port");
            }
            return Optional.of(new InetSocketAddress(address, port));
        } catch (IllegalArgumentException e) {
            throw new BadHeader("bad source address in PROXY v1 header");
        }
    }

    private static Optional<InetSocketAddress> readV2(InputStream in, int first) throws IOException {
        var signature = new byte[V2_SIGNATURE.length];
        signature[0] = (byte) first;
        readFully(in, signature, 1, signature.length - 1);
        if (!Arrays.equals(signature, V2_SIGNATURE)) {
            throw new BadHeader("not a PROXY header");
        }
        int versionCommand = readByte(in);
        int family = readByte(in);
        int length = (readByte(in) << 8) | readByte(in);
        if ((versionCommand >> 4) != 2 || length > V2_MAX_LENGTH) {
            throw new BadHeader("unsupported PROXY v2 header");
        }
        var body = new byte[length];
        readFully(in, body, 0, length);
        if ((versionCommand & 0x0F) == 0) {
            return Optional.empty(); // LOCAL: the balancer speaking for itself
        }
        return switch (family >> 4) {
            case 1 -> address(body, 4, length);
            case 2 -> address(body, 16, length);
            default -> Optional.empty(); // AF_UNSPEC / AF_UNIX: no IP to take
        };
    }

    private static Optional<InetSocketAddress> address(byte[] body, int size, int length) throws IOException {
        if (length < 2 * size + 4) {
            throw new BadHeader("PROXY v2 address block too short");
        }
        var source = InetAddress.getByAddress(Arrays.copyOfRange(body, 0, size));
        int port = ((body[2 * size] & 0xff) << 8) | (body[2 * size + 1] & 0xff);
        return Optional.of(new InetSocketAddress(source, port));
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside the PROXY header");
        }
        return b;
    }

    private static void readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        if (in.readNBytes(buffer, offset, length) < length) {
            throw new EOFException("connection closed inside the PROXY header");
        }
    }

}
