package org.roost.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefixLength) {
    private static final Pattern IPV4 =
            Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    public static Cidr parse(String text) {
        var slash = text.indexOf('/');
        var addressText = slash < 0 ? text.strip() : text.substring(0, slash).strip();
        var address = parseLiteral(addressText);
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
            }
        }
        return new Cidr(mask(address, prefix), prefix);
    }

    /** Parses an IP literal without ever asking DNS. */
    public static byte[] parseLiteral(String text) {
        var bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!bare.contains(":")) {
            return dottedQuad(bare).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address"));
        }
        try {
            return InetAddress.getByName(bare).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    /**
     * Strict a.b.c.d, each 0-255 without leading zeros. InetAddress would take "10.1" or "010.0.0.1"
     * as addresses and send "300.1.1.1" to DNS as a host name.
     */
    private static Optional<byte[]> dottedQuad(String text) {
        if (!IPV4.matcher(text).matches()) {
            return Optional.empty();
        }
        var parts = text.split("\\.");
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    public boolean contains(InetAddress address) {
        var bytes = address.getAddress();
        if (bytes.length != network.length) {
            bytes = mappedIpv4(bytes, network.length);
            if (bytes == null) {
                return false;
            }
        }
        return Arrays.equals(mask(bytes, prefixLength), network);
    }

    /** Matches an IPv4-mapped IPv6 address (::ffff:a.b.c.d) against an IPv4 network and vice versa. */
    private static byte[] mappedIpv4(byte[] bytes, int wantedLength) {
        if (bytes.length == 16 && wantedLength == 4) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return null;
                }
            }
            if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
                return null;
            }
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return null;
    }

    private static byte[] mask(byte[] address, int prefix) {
        var out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
