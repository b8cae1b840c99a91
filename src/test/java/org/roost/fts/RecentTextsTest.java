package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The copies of one message share its texts; no two different messages ever do. */
class RecentTextsTest {
    private final List<byte[]> read = new ArrayList<>();
    private final Random random = new Random(29);

    @Test
    void theCopiesOfAMessageAreReadOnce() throws IOException {
        var recent = new RecentTexts(1 << 20);
        var message = message(5000);
        var first = recent.texts(new ByteArrayInputStream(message), this::reader);
        for (int copy = 0; copy < 9; copy++) {
            assertSame(first, recent.texts(new ByteArrayInputStream(message.clone()), this::reader));
        }
        assertEquals(1, read.size());
    }

    @Test
    void messagesOfTheSameLengthAndChecksumAreEachReadForThemselves() throws IOException {
        var recent = new RecentTexts(1 << 20);
        var message = message(5000);
        var forged = sameChecksum(message);
        assertNotEquals(new String(message, StandardCharsets.ISO_8859_1), new String(forged, StandardCharsets.ISO_8859_1));
        assertEquals(crc(message), crc(forged));
        var texts = recent.texts(new ByteArrayInputStream(message), this::reader);
        var forgedTexts = recent.texts(new ByteArrayInputStream(forged), this::reader);
        assertEquals(2, read.size());
        assertEquals(text(forged), forgedTexts.body(), "the forged message's own texts");
        assertEquals(text(message), texts.body());
        assertEquals(text(message), recent.texts(new ByteArrayInputStream(message), this::reader).body());
    }

    @Test
    void whatIsKeptStaysWithinTheBoundAndLargeMessagesAreReadWhole() throws IOException {
        int max = 64 * 1024;
        var recent = new RecentTexts(max);
        var messages = new ArrayList<byte[]>();
        for (int i = 0; i < 40; i++) {
            messages.add(message(1000 + i)); // about 3 kB each with its texts: the first ones are let go
            recent.texts(new ByteArrayInputStream(messages.get(i)), this::reader);
        }
        recent.texts(new ByteArrayInputStream(messages.get(39)), this::reader);
        assertEquals(40, read.size(), "the last one kept");
        recent.texts(new ByteArrayInputStream(messages.get(0)), this::reader);
        assertEquals(41, read.size(), "the first one let go");
        var large = message(max / 4 + 1); // one byte past what is kept
        recent.texts(new ByteArrayInputStream(large), this::reader);
        recent.texts(new ByteArrayInputStream(large), this::reader);
        assertEquals(43, read.size(), "not kept");
        assertArrayEquals(large, read.get(42), "read whole, the bytes looked at first included");
    }

    private MessageDocument.Texts reader(java.io.InputStream normalized) throws IOException {
        var bytes = normalized.readAllBytes();
        read.add(bytes);
        return new MessageDocument.Texts(Map.of("subject", "S"), "", text(bytes), true);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private byte[] message(int length) {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(26));
        }
        return bytes;
    }

    private static int crc(byte[] bytes) {
        var crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /**
     * {@code message} with its first byte changed and its last four made to give the same CRC-32C: the checksum is
     * affine in the bits, so the last 32 bits that cancel the change solve a 32 × 32 system over GF(2).
     */
    private static byte[] sameChecksum(byte[] message) {
        int n = message.length;
        int zeros = crc(new byte[n]);
        var columns = new int[32]; // the linear part of the checksum of each of the last 32 bits alone
        for (int bit = 0; bit < 32; bit++) {
            var unit = new byte[n];
            unit[n - 4 + bit / 8] = (byte) (1 << (bit % 8));
            columns[bit] = crc(unit) ^ zeros;
        }
        var change = new byte[n];
        change[0] = 1;
        int target = crc(change) ^ zeros; // to be cancelled by the last 32 bits
        int solution = solve(columns, target);
        var forged = message.clone();
        forged[0] ^= 1;
        for (int bit = 0; bit < 32; bit++) {
            if ((solution >>> bit & 1) != 0) {
                forged[n - 4 + bit / 8] ^= (byte) (1 << (bit % 8));
            }
        }
        return forged;
    }

    /** The bits x with XOR of columns[i] for every set bit i of x equal to {@code target} (Gauss-Jordan over GF(2)). */
    private static int solve(int[] columns, int target) {
        var rows = columns.clone();
        var combos = new int[32]; // which original columns each reduced one is made of
        for (int i = 0; i < 32; i++) {
            combos[i] = 1 << i;
        }
        int rest = target;
        int made = 0;
        for (int pivot = 31; pivot >= 0; pivot--) {
            int found = -1;
            for (int i = 0; i < 32 && found < 0; i++) {
                if ((rows[i] >>> pivot & 1) != 0 && Integer.numberOfLeadingZeros(rows[i]) == 31 - pivot) {
                    found = i;
                }
            }
            if (found < 0) {
                continue;
            }
            for (int i = 0; i < 32; i++) {
                if (i != found && (rows[i] >>> pivot & 1) != 0) {
                    rows[i] ^= rows[found];
                    combos[i] ^= combos[found];
                }
            }
            if ((rest >>> pivot & 1) != 0) {
                rest ^= rows[found];
                made ^= combos[found];
            }
        }
        assertEquals(0, rest, "the last 32 bits reach every checksum");
        return made;
    }
}
