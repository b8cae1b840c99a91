package org.roost.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5321 §4.1.2 mailboxes, RFC 6531 UTF-8 addresses, and the user+detail split of Dovecot's recipient_delimiter. */
class MailAddressTest {

    @Test
    void detailIsSplitAtTheFirstDelimiter() throws Exception {
        var address = MailAddress.parse("alice+lists+x@example.org");
        assertEquals(new MailAddress.LocalPart("alice", "lists+x"), address.split("+"));
        assertEquals(new MailAddress.LocalPart("alice", "lists+x"), address.split("-+"));
        assertEquals(new MailAddress.LocalPart("alice+lists+x", ""), address.split(""));
    }

    @Test
    void utf8AddressesAreAllowedAndKnownAsSuch() throws Exception {
        var address = MailAddress.parse("j\u00f6rg@b\u00fccher.example");
        assertFalse(address.ascii());
        assertTrue(MailAddress.parse("a@b.c").ascii());
    }

    @Test
    void quotedLocalPartsRoundTrip() throws Exception {
        var address = MailAddress.parse("\"a \\\"b\\\" c\"@x.org");
        assertEquals("a \"b\" c", address.localPart());
        assertEquals("\"a \\\"b\\\" c\"@x.org", address.toString());
        assertEquals(address, MailAddress.parse(address.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@x.org", "a@", "a@.x", "a@x..y", "a b@x", "a@x y", ".a@x", "\"unterminated@x",
            "\"a\"b@x", "a@[1.2.3.4", "\"a\u0001\"@x", "a@x\r\nRCPT", "a\u0000@x"})
    void malformedAddressesAreRefused(String text) {
        assertThrows(MailAddress.Malformed.class, () -> MailAddress.parse(text));
    }

    @Test
    void overlongPartsAreRefused() {
        assertThrows(MailAddress.Malformed.class, () -> MailAddress.parse("a".repeat(200) + "@x.org"));
        assertThrows(MailAddress.Malformed.class, () -> MailAddress.parse("a@" + "x".repeat(600)));
    }
}
