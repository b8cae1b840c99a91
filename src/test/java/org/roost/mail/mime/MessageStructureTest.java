package org.roost.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MessageStructureTest {

    private static MessageStructure parse(String crlfMessage) throws IOException {
        return MessageStructure.parse(new ByteArrayInputStream(crlfMessage.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Streams a multipart with one attachment of {@code lines} base64 lines without building it. */
    private static InputStream bigMessage(long lines) {
        String head = "From: big@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=BIG\r\n\r\n"
                + "--BIG\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n"
                + "--BIG\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        InputStream body = new InputStream() {
            private long produced;
            private final long total = lines * line.length;

            @Override
            public int read() {
                return produced < total ? line[(int) (produced++ % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - produced);
                for (int i = 0; i < n; i++) {
                    b[off + i] = line[(int) (produced++ % line.length)];
                }
                return n;
            }
        };
        return new SequenceInputStream(new SequenceInputStream(
                new ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)), body),
                new ByteArrayInputStream("--BIG--\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void fiftyMegabyteAttachmentKeepsOnlyHeaders() throws IOException {
        long lines = 50L * 1024 * 1024 / 78 + 1;
        MessageStructure m = MessageStructure.parse(bigMessage(lines));
        Part attachment = m.part(2).orElseThrow();
        assertEquals(lines * 78 - 2, attachment.bodySize(), "the CRLF before the boundary is not the body's");
        assertEquals(lines - 1, attachment.bodyLines());
        assertTrue(m.size() > 50L * 1024 * 1024);
        assertTrue(m.retainedBytes() < 4096, "retained " + m.retainedBytes());
        BodyStructure.Multi body = assertInstanceOf(BodyStructure.Multi.class, m.body());
        assertEquals(2, body.children().size());
    }

    @Test
    void headerBytesAreCappedPerPart() throws IOException {
        String huge = "X-Big: " + "y".repeat(200_000) + "\r\n";
        MessageStructure m = parse("Subject: s\r\n" + huge + "\r\nbody\r\n");
        assertTrue(m.root().headerTruncated());
        assertTrue(m.retainedBytes() < MessageStructure.Limits.DEFAULT.maxHeaderBytes() + 1024);
        assertEquals("s", m.envelope().subject());
        assertEquals(12 + huge.length() + 2, m.root().headerSize());
        assertEquals(new SectionRange.Slice(12 + huge.length() + 2, 6), m.range(SectionSpec.of(SectionSpec.Kind.TEXT)));
    }

    @Test
    void onlyMessageHeadersAreRetainedAndWithinTheBudget() throws IOException {
        StringBuilder sb = new StringBuilder("Subject: digest\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n");
        String filler = "X-Filler: " + "f".repeat(1000) + "\r\n";
        for (int i = 0; i < 200; i++) {
            sb.append("--d\r\n\r\nSubject: m").append(i).append("\r\n").append(filler.repeat(10)).append("\r\nbody\r\n");
        }
        sb.append("--d--\r\n");
        MessageStructure m = MessageStructure.parse(
                new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.US_ASCII)),
                new MessageStructure.Limits(64 * 1024, 100, 10_000, 100_000));
        assertTrue(m.retainedBytes() < 100_000 + 401 * 256, "retained " + m.retainedBytes());
        Part last = m.part(200).orElseThrow();
        assertEquals("m199", last.message().orElseThrow().envelope().subject(), "fields still parsed");
        assertTrue(last.message().orElseThrow().headerTruncated());
        assertEquals(0, last.header().length, "a MIME part's own header is not kept");
    }

    @Test
    void nestingBeyondTheLimitIsFlattenedNotRecursed() throws IOException {
        StringBuilder sb = new StringBuilder("Subject: deep\r\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("Content-Type: message/rfc822\r\n\r\n");
        }
        sb.append("\r\nend\r\n");
        MessageStructure m = parse(sb.toString());
        int depth = 0;
        for (Part p = m.root(); p.message().isPresent(); p = p.message().get()) {
            depth++;
        }
        assertEquals(MessageStructure.Limits.DEFAULT.maxDepth() - 1, depth);
    }

    @Test
    void sectionPathsFollowRfc3501() throws IOException {
        String msg = "Subject: outer\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\none\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: inner\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n"
                + "--c\r\n\r\nalt1\r\n--c\r\n\r\nalt2\r\n--c--\r\n"
                + "--b--\r\n";
        MessageStructure m = parse(msg);
        assertEquals("one", slice(msg, m.range(SectionSpec.of(SectionSpec.Kind.ALL, 1))));
        assertEquals("alt2", slice(msg, m.range(SectionSpec.of(SectionSpec.Kind.ALL, 2, 2))));
        assertEquals("Subject: inner\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n",
                slice(msg, m.range(SectionSpec.of(SectionSpec.Kind.HEADER, 2))));
        assertEquals("Content-Type: message/rfc822\r\n\r\n", slice(msg, m.range(SectionSpec.of(SectionSpec.Kind.MIME, 2))));
        assertEquals("\r\n", slice(msg, m.range(SectionSpec.of(SectionSpec.Kind.MIME, 2, 1))));
        assertEquals(SectionRange.EMPTY, m.range(SectionSpec.of(SectionSpec.Kind.ALL, 3)));
        assertEquals(SectionRange.EMPTY, m.range(SectionSpec.of(SectionSpec.Kind.HEADER, 1)));
        assertEquals(SectionRange.EMPTY, m.range(SectionSpec.of(SectionSpec.Kind.ALL, 1, 2)));
        SectionRange.Bytes fields = assertInstanceOf(SectionRange.Bytes.class,
                m.range(SectionSpec.fields(false, List.of("SUBJECT"), 2)));
        assertEquals("Subject: inner\r\n\r\n", new String(fields.data(), StandardCharsets.ISO_8859_1));
        assertEquals("inner", m.part(2).orElseThrow().message().orElseThrow().envelope().subject());
        assertFalse(m.part(0).isPresent());
    }

    private static String slice(String msg, SectionRange r) {
        SectionRange.Slice s = assertInstanceOf(SectionRange.Slice.class, r);
        return msg.substring((int) s.offset(), (int) (s.offset() + s.length()));
    }
}
