package org.roost.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefixLength) {

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
        boolean looksLikeIp = !bare.isEmpty() && (bare.contains(":") || bare.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksLikeIp) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(bare).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
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
