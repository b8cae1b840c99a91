package org.roost.imap.protocol.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.DovecotFixtures;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SearchText;
import org.roost.mail.mime.SectionRange;
import org.roost.mail.mime.SectionSpec;

/**
 * Seeded mutation fuzzing of the corpus: parsing, formatting, section ranges and search must never
 * throw anything but IOException, and ENVELOPE/BODY/BODYSTRUCTURE must stay well-formed IMAP.
 */
class StructureFuzzTest {
    private static final long SEED = 0x5eed_2026L;
    private static final int ITERATIONS = 3000;
    private static final String[] TOKENS = {
        "\r\n", "\n", "\r", "--", "\r\n--", ":", ";", "\"", "\\", "(", ")", "<", ">", "@", ",", "=?utf-8?q?",
        "?=", "*0*=", "*1=", "''", "%", "\0", "\u00ff", "\t", " ", "Content-Type: multipart/mixed; boundary=",
        "Content-Type: message/rfc822\r\n\r\n", "\r\n\r\n", "boundary=\"", "=\r\n", "\r\n ",
        "Content-Disposition: attachment; filename*0=",
    };

    @Test
    void mutatedCorpusNeverBreaksTheWriters() throws IOException {
        Random random = new Random(SEED);
        List<byte[]> corpus = new ArrayList<>();
        for (String name : DovecotFixtures.NAMES) {
            if (!name.startsWith("17")) { // 180 KB: too slow to mutate thousands of times
                corpus.add(DovecotFixtures.message(name));
            }
        }
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] msg = mutate(corpus.get(random.nextInt(corpus.size())), random);
            try {
                check(msg, random);
            } catch (IOException e) {
                // allowed by contract; in-memory input should not produce it, though
                fail("iteration " + i + ": " + e);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("iteration " + i + " seed " + SEED + " input:\n"
                        + new String(msg, StandardCharsets.ISO_8859_1), e);
            }
        }
    }

    private static void check(byte[] raw, Random random) throws IOException {
        byte[] normalized = new CrlfInputStream(new ByteArrayInputStream(raw)).readAllBytes();
        MessageStructure m = MessageStructure.parse(new ByteArrayInputStream(normalized));
        assertEquals(normalized.length, m.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureFormatter.writeEnvelope(out, m.envelope());
        assertWellFormed(out.toByteArray());
        out.reset();
        StructureFormatter.writeBody(out, m.body());
        assertWellFormed(out.toByteArray());
        out.reset();
        StructureFormatter.writeBodyStructure(out, m.bodyStructure());
        assertWellFormed(out.toByteArray());
        for (int k = 0; k < 4; k++) {
            int[] path = new int[random.nextInt(4)];
            for (int j = 0; j < path.length; j++) {
                path[j] = 1 + random.nextInt(3);
            }
            SectionSpec.Kind kind = SectionSpec.Kind.values()[random.nextInt(SectionSpec.Kind.values().length)];
            SectionSpec spec = kind == SectionSpec.Kind.HEADER_FIELDS || kind == SectionSpec.Kind.HEADER_FIELDS_NOT
                    ? new SectionSpec(path, kind, List.of("Subject", "From"))
                    : SectionSpec.of(kind, path);
            if (m.range(spec) instanceof SectionRange.Slice s) {
                assertTrue(s.offset() >= 0 && s.length() >= 0 && s.offset() + s.length() <= m.size(), spec + " " + s);
            }
        }
        SearchText.textContains(m, new ByteArrayInputStream(normalized), "zq\u00e9x");
        SearchText.headerContains(m, "Subject", "a");
    }

    private static void assertWellFormed(byte[] b) {
        assertNull(ImapSyntax.problem(b), () -> new String(b, StandardCharsets.ISO_8859_1));
    }

    private static byte[] mutate(byte[] src, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(src);
        byte[] b = out.toByteArray();
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits; e++) {
            int pos = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> { // flip a byte
                    if (b.length > 0) {
                        b[pos] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> b = splice(b, pos, 0, TOKENS[random.nextInt(TOKENS.length)]
                        .getBytes(StandardCharsets.ISO_8859_1));
                case 2 -> b = splice(b, pos, Math.min(b.length - pos, random.nextInt(40)), new byte[0]);
                case 3 -> { // duplicate a slice (nests boundaries and headers)
                    int len = Math.min(b.length - pos, random.nextInt(200));
                    byte[] slice = java.util.Arrays.copyOfRange(b, pos, pos + len);
                    b = splice(b, random.nextInt(b.length + 1), 0, slice);
                }
                default -> b = java.util.Arrays.copyOf(b, pos); // truncate
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int pos, int remove, byte[] insert) {
        byte[] r = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, r, 0, pos);
        System.arraycopy(insert, 0, r, pos, insert.length);
        System.arraycopy(b, pos + remove, r, pos + insert.length, b.length - pos - remove);
        return r;
    }
}
