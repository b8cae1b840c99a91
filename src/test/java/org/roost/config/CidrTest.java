package org.roost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void ipv4NetworkContainsItsAddressesOnly() throws Exception {
        var net = Cidr.parse("127.0.0.0/8");
        assertTrue(net.contains(ip("127.0.0.1")));
        assertTrue(net.contains(ip("127.255.1.2")));
        assertFalse(net.contains(ip("128.0.0.1")));
        assertFalse(net.contains(ip("::1")));
    }

    @Test
    void ipv4MappedIpv6AddressMatchesAnIpv4Network() throws Exception {
        var mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1});
        assertTrue(Cidr.parse("127.0.0.0/8").contains(mapped));
        assertFalse(Cidr.parse("10.0.0.0/8").contains(mapped));
    }

    @Test
    void ipv6Network() throws Exception {
        assertTrue(Cidr.parse("::1/128").contains(ip("::1")));
        assertFalse(Cidr.parse("::1/128").contains(ip("::2")));
        assertTrue(Cidr.parse("fd00::/8").contains(ip("fd12:3456::1")));
    }

    @Test
    void bareAddressIsAHostNetwork() {
        assertEquals(32, Cidr.parse("10.1.2.3").prefixLength());
        assertEquals(128, Cidr.parse("::1").prefixLength());
        assertEquals("10.0.0.0/8", Cidr.parse("10.9.8.7/8").toString());
    }

    @Test
    void dottedQuadLiteralsAreReadExactly() throws Exception {
        assertEquals(java.util.List.of(0, 0, 0, 0), unsigned(Cidr.parseLiteral("0.0.0.0")));
        assertEquals(java.util.List.of(255, 255, 255, 255), unsigned(Cidr.parseLiteral("255.255.255.255")));
        assertEquals(java.util.List.of(192, 0, 2, 10), unsigned(Cidr.parseLiteral("[192.0.2.10]")));
        assertEquals(16, Cidr.parseLiteral("::ffff:0:1.2.3.4").length);
    }

    private static java.util.List<Integer> unsigned(byte[] bytes) {
        var out = new java.util.ArrayList<Integer>();
        for (var b : bytes) {
            out.add(b & 0xff);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x", "1.2.3.4.5",
        "300.1.1.1", "10.1", "1", "010.0.0.1", "1.2.3.", "::g", "1:2", "0x7f.0.0.1"})
    void rejectsWhatIsNotANetworkWithoutAskingDns(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }
}
