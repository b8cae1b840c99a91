package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The listing keeps names as bytes and reads their flags, keys and delivery seconds in place: each
 * of these must say what a reading of the name as a string says ({@link MaildirFileName}), for names
 * as other programs leave them (odd letters, ':' twice, non-ASCII, no info part). Seeded loops.
 */
class ListingTest {
    private static final String[] PIECES = {"1609459497", ".M", "12", "P4000", "Q7", ".host", ",S=99", ",W=101",
        ":2,", ":2,", ":1,", ":", "S", "R", "F", "T", "D", "P", "a", "z", "Z", "é", "日本", "\u00ff", "9", "-", " "};

    @Test
    void flagsKeysAndSecondsReadInPlaceAreWhatTheNameSays() {
        for (long seed = 1; seed <= 40; seed++) {
            var random = new Random(seed);
            int count = 1 + random.nextInt(3_000);
            var builder = new Listing.Builder(count, false);
            var added = new HashMap<String, String>();
            for (int i = 0; i < count; i++) {
                var name = name(random);
                var key = name.substring(0, Listing.keyLength(name));
                if (MaildirFileName.isPlausibleKey(key)) {
                    assertEquals(!added.containsKey(key), builder.add(name), "seed " + seed + ": " + name);
                    added.putIfAbsent(key, name);
                }
            }
            var listing = builder.build();
            assertEquals(added.size(), listing.size());
            for (int row = 0; row < listing.size(); row++) {
                var name = listing.fileName(row);
                var parsed = MaildirFileName.parse(name);
                var key = listing.key(row);
                assertEquals(name, added.get(key), "seed " + seed);
                assertEquals(parsed.base(), key);
                assertEquals(row, listing.row(key));
                assertEquals(parsed.flags(), listing.flags(row), name);
                assertEquals(parsed.keywordIndexes(), listing.keywordIndexes(row), name);
                assertEquals(MaildirFileName.impliedByFlags(name), listing.impliedByFlags(row), name);
                assertEquals(seconds(key), listing.leadingNumber(row, 18), name);
                var copy = new KeyBytes();
                long copied = listing.copyKey(row, copy);
                assertEquals(key, copy.string(copied));
                assertEquals(row, listing.row(copy, copied), "found by the key's bytes");
            }
            assertNull(listing.fileName("no such key"));
            var absent = new KeyBytes();
            assertEquals(-1, listing.row(absent, absent.add("no such key", 11)));
            assertFalse(listing.contains(""));
        }
    }

    @Test
    void aNameOfNonAsciiLettersIsFoundByItsKey() {
        var builder = new Listing.Builder(2, false);
        assertTrue(builder.add("1609459497.M1P2.höst,S=9:2,S"));
        assertFalse(builder.add("1609459497.M1P2.höst,S=9:2,FS"), "the same key twice");
        var listing = builder.build();
        assertEquals("1609459497.M1P2.höst,S=9:2,S", listing.fileName("1609459497.M1P2.höst,S=9"));
        assertNull(listing.fileName("1609459497.M1P2.host,S=9"));
    }

    private static String name(Random random) {
        var name = new StringBuilder();
        for (int i = random.nextInt(12); i >= 0; i--) {
            name.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return name.toString();
    }

    private static long seconds(String key) {
        int digits = 0;
        while (digits < key.length() && digits < 18 && Character.isDigit(key.charAt(digits)) && key.charAt(digits) < 0x80) {
            digits++;
        }
        return digits == 0 ? -1 : Long.parseLong(key.substring(0, digits));
    }
}
