package org.roost.mail.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.roost.imap.protocol.response.DovecotCompatibilityTest;
import org.roost.imap.protocol.response.StructureFormatter;

/**
 * A structure read back from its cached bytes answers every FETCH item exactly as the freshly parsed
 * one does, over the whole MIME corpus (the Dovecot-checked items plus header and text sections);
 * and damaged bytes are refused with an IllegalArgumentException, never anything else.
 */
class StructureCodecTest {
    private static final long SEED = 0xcace_2026L;
    /** Items beyond Dovecot's recorded ones: what clients fetch for message lists and SEARCH reads. */
    private static final List<String> EXTRA_ITEMS = List.of("BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]",
            "BODY.PEEK[HEADER.FIELDS (From To Cc Subject Date Message-ID References Content-Type)]",
            "BODY.PEEK[HEADER.FIELDS.NOT (Received)]", "BODY.PEEK[1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[2.HEADER]",
            "BODY.PEEK[1.1.TEXT]");

    static Stream<String> messages() {
        return Stream.of(DovecotFixtures.NAMES, DovecotFixtures.MUTANTS, DovecotFixtures.GENERATED)
                .flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void decodedStructureAnswersLikeTheParsedOne(String name) throws IOException {
        byte[] normalized = new CrlfInputStream(new ByteArrayInputStream(DovecotFixtures.message(name))).readAllBytes();
        var parsed = MessageStructure.parse(new ByteArrayInputStream(normalized));
        byte[] encoded = StructureCodec.encode(parsed);
        assertNotNull(encoded, name);
        var decoded = StructureCodec.decode(encoded, 0, encoded.length);
        var items = new ArrayList<>(DovecotFixtures.expected(name).keySet());
        items.addAll(List.of("RFC822.SIZE", "ENVELOPE", "BODY", "BODYSTRUCTURE"));
        items.addAll(EXTRA_ITEMS);
        for (var item : items) {
            assertArrayEquals(DovecotCompatibilityTest.render(item, parsed, normalized),
                    DovecotCompatibilityTest.render(item, decoded, normalized), name + " " + item);
        }
        for (var field : List.of("Date", "Subject", "From", "X-Missing")) {
            assertEquals(parsed.headerValues(field), decoded.headerValues(field), name + " " + field);
            assertEquals(SearchText.headerContains(parsed, field, "e"), SearchText.headerContains(decoded, field, "e"));
        }
        assertEquals(parsed.retainedBytes(), decoded.retainedBytes(), name);
        assertArrayEquals(encoded, StructureCodec.encode(decoded), name + ": encoding is stable");
    }

    @Test
    void damagedBytesAreRefusedWithIllegalArgumentOnly() throws IOException {
        var random = new Random(SEED);
        var encodings = new ArrayList<byte[]>();
        for (var name : DovecotFixtures.NAMES) {
            var parsed = MessageStructure.parse(new CrlfInputStream(
                    new ByteArrayInputStream(DovecotFixtures.message(name))));
            encodings.add(StructureCodec.encode(parsed));
        }
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutate(encodings.get(random.nextInt(encodings.size())), random);
            try {
                var decoded = StructureCodec.decode(bytes, 0, bytes.length);
                // whatever decodes must still be writable
                var out = new ByteArrayOutputStream();
                StructureFormatter.writeEnvelope(out, decoded.envelope() == null
                        ? org.roost.mail.mime.Envelope.EMPTY : decoded.envelope());
                StructureFormatter.writeBodyStructure(out, decoded.bodyStructure());
                StructureFormatter.writeBody(out, decoded.body());
            } catch (IllegalArgumentException expected) {
                refused++;
            }
        }
        // most mutations must be caught by the bounds alone (the cache file adds a CRC on top)
        assertEquals(true, refused > 5_000, "refused " + refused);
    }

    @Test
    void aPreviewTravelsWithItsStructureAndOlderEncodingsHaveNone() throws IOException {
        var parsed = MessageStructure.parse(new ByteArrayInputStream(DovecotFixtures.message("04-nested-rfc822")));
        byte[] without = StructureCodec.encode(parsed);
        assertEquals(null, StructureCodec.decode(without, 0, without.length).preview());
        for (var preview : List.of("", "caf\u00e9 \uD83D\uDE00", "plain")) {
            byte[] with = StructureCodec.encode(parsed.withPreview(preview));
            var decoded = StructureCodec.decode(with, 0, with.length);
            assertEquals(preview, decoded.preview());
            assertArrayEquals(with, StructureCodec.encode(decoded));
            assertArrayEquals(without, Arrays.copyOf(with, without.length), "the structure's bytes come first, unchanged");
        }
    }

    @Test
    void truncatedOrForeignBytesAreRefused() throws IOException {
        var parsed = MessageStructure.parse(new ByteArrayInputStream(DovecotFixtures.message("04-nested-rfc822")));
        byte[] encoded = StructureCodec.encode(parsed);
        for (int cut = 0; cut < encoded.length; cut++) {
            int length = cut;
            assertThrows(IllegalArgumentException.class, () -> StructureCodec.decode(encoded, 0, length));
        }
        byte[] otherFormat = encoded.clone();
        otherFormat[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> StructureCodec.decode(otherFormat, 0, otherFormat.length));
        assertThrows(IllegalArgumentException.class, () -> StructureCodec.decode(new byte[64], 0, 64));
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] b = in.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                int from = random.nextInt(b.length);
                Arrays.fill(b, from, Math.min(b.length, from + 1 + random.nextInt(64)), (byte) 0);
            }
            default -> {
                int from = random.nextInt(b.length);
                for (int i = from; i < Math.min(b.length, from + 1 + random.nextInt(32)); i++) {
                    b[i] = (byte) (0x80 | random.nextInt(256));
                }
            }
        }
        return b;
    }
}
