package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.roost.mail.StoredMessage;

class UidlFormatTest {
    static final StoredMessage MESSAGE = new StoredMessage(26, "1795905265.M643104P20942.vm,S=149,W=156", Set.of(), Set.of(),
            Instant.EPOCH, 149, 156);

    static String format(String format) {
        return UidlFormat.parse(format).format(MESSAGE, 1795905267L);
    }

    @Test
    void dovecotDefaultIsLowerCaseHexUidThenUidValidity() {
        assertEquals("0000001a6b0b56f3", format("%08Xu%08Xv"));
    }

    @Test
    void variablesWidthsAndModifiers() {
        assertEquals("26", format("%u"));
        assertEquals("1795905267.26", format("%v.%u"));
        assertEquals("1A", format("%XUu"));
        assertEquals("0000026", format("%07u"));
        assertEquals("179", format("%3v"), "a width without 0 truncates, as in Dovecot");
        assertEquals("1795905265.M643104P20942.vm,S=149,W=156", format("%f"));
        assertEquals("1795905265.m643104p20942.vm,s=149,w=156", format("%Lf"));
        assertEquals("5905265", format("%3.7f"), "offset 3, width 7");
        assertEquals("26-6b0b56f3", format("%{uid}-%X{uidvalidity}"));
        assertEquals("100%26", format("100%%%u"));
    }

    @Test
    void unsupportedPlaceholdersAreRefusedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> UidlFormat.parse("%08Xu%m"));
        assertTrue(e.getMessage().contains("%m"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UidlFormat.parse("%{guid}"));
        assertThrows(IllegalArgumentException.class, () -> UidlFormat.parse("%08X"));
        assertThrows(IllegalArgumentException.class, () -> UidlFormat.parse("%{uid"));
    }
}
