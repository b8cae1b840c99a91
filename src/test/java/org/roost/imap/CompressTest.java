package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * COMPRESS=DEFLATE (RFC 4978) byte for byte: the OK plain, everything after its CRLF compressed both ways,
 * over plain TCP, STARTTLS and implicit TLS; pushes (IDLE) flushed at once; hostile compressed input (a
 * decompression bomb, garbage) answered with BYE and a close, never a stalled session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompressTest {
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXLITERALSIZE", "1048576"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static void login(RawImapClient client) throws IOException {
        client.greeting();
        assertTrue(client.tagged("a", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"")
                .startsWith("a OK"));
    }

    private RawImapClient compressed(String transport) throws IOException {
        var client = switch (transport) {
            case "imaps" -> server.imaps();
            case "starttls" -> {
                var plain = server.imap();
                plain.greeting();
                assertEquals("s OK Begin TLS negotiation now.", plain.tagged("s", "STARTTLS"));
                plain.startTls();
                yield plain;
            }
            default -> server.imap();
        };
        if (!transport.equals("starttls")) {
            client.greeting();
        }
        assertTrue(client.tagged("a", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"")
                .startsWith("a OK"));
        assertEquals("z OK DEFLATE active.", client.tagged("z", "COMPRESS DEFLATE"));
        client.compress();
        return client;
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "starttls", "imaps"})
    void commandsAndResponsesAreCompressedAfterTheOk(String transport) throws IOException {
        try (var client = compressed(transport)) {
            var examine = client.command("b", "EXAMINE INBOX");
            assertTrue(examine.contains("* 0 EXISTS"), examine.toString());
            assertEquals("b OK [READ-ONLY] EXAMINE completed.", examine.getLast());
            assertEquals(List.of("* ID (\"name\" \"Roost\")", "c OK ID completed."), client.command("c", "ID NIL"));
            assertEquals(List.of("* BYE Logging out.", "d OK LOGOUT completed."), client.command("d", "LOGOUT"));
            client.assertClosedByServer();
        }
    }

    /** The server's bytes after the tagged OK are raw DEFLATE, each response ending in a sync flush. */
    @Test
    void theFirstCompressedResponseIsRawDeflateEndingInASyncFlush() throws Exception {
        try (var client = server.imap()) {
            login(client);
            client.send("z COMPRESS DEFLATE");
            assertEquals("z OK DEFLATE active.", client.readLine());
            client.write(deflated("b NOOP\r\n"));
            var wire = new ByteArrayOutputStream();
            while (wire.size() < 4 || !HexFormat.of().formatHex(wire.toByteArray(), wire.size() - 4, wire.size())
                    .equals("0000ffff")) {
                wire.writeBytes(client.readBytes(1));
            }
            var inflater = new Inflater(true);
            inflater.setInput(wire.toByteArray());
            var text = new byte[64];
            int n = inflater.inflate(text);
            assertEquals("b OK NOOP completed.\r\n", new String(text, 0, n, StandardCharsets.US_ASCII));
            assertEquals(0, inflater.getRemaining());
        }
    }

    /** {@code text} as a client sends it: raw DEFLATE ending in a sync flush. */
    private static byte[] deflated(String text) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.ISO_8859_1));
        var out = new ByteArrayOutputStream();
        var chunk = new byte[8192];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput());
        deflater.end();
        return out.toByteArray();
    }

    @Test
    void compressIsRefusedBeforeLoginTwiceAndForOtherAlgorithms() throws IOException {
        try (var client = server.imap()) {
            client.greeting();
            assertEquals("a BAD Command is not valid before authentication.", client.tagged("a", "COMPRESS DEFLATE"));
            assertTrue(client.tagged("b", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"")
                    .startsWith("b OK"));
            assertEquals("c BAD Unknown compression algorithm.", client.tagged("c", "COMPRESS LZW"));
            assertEquals("d OK DEFLATE active.", client.tagged("d", "compress deflate"));
            client.compress();
            assertEquals("e NO [COMPRESSIONACTIVE] DEFLATE active via COMPRESS.", client.tagged("e", "COMPRESS DEFLATE"));
            assertEquals("f OK NOOP completed.", client.tagged("f", "NOOP"));
        }
    }

    /** An IDLE push goes out whole at once, without waiting for the client to say anything. */
    @Test
    void idlePushesAreFlushed() throws IOException {
        var user = TestServer.shared().newUser();
        var shared = TestServer.shared();
        try (var client = shared.imap()) {
            client.greeting();
            assertTrue(client.tagged("a", "LOGIN " + user + " " + TestServer.PASSWORD).startsWith("a OK"));
            assertEquals("z OK DEFLATE active.", client.tagged("z", "COMPRESS DEFLATE"));
            client.compress();
            assertTrue(client.tagged("b", "SELECT INBOX").startsWith("b OK"));
            client.send("c IDLE");
            assertEquals("+ idling", client.readLine());
            shared.deliver(user, "Subject: pushed\r\n\r\nbody\r\n");
            assertEquals("* 1 EXISTS", client.readLine());
            assertEquals("* 1 RECENT", client.readLine());
            client.send("DONE");
            assertEquals("c OK IDLE terminated.", client.readLine());
        }
    }

    /** A decompression bomb: a few kilobytes that inflate to megabytes with no line end meet the line limit. */
    @Test
    void aCompressedOverlongLineIsAViolation() throws IOException {
        try (var client = compressed("plain")) {
            client.socket().getOutputStream().write(deflated("a".repeat(8 * 1024 * 1024)));
            assertEquals("* BYE Line too long", client.readLine());
            client.assertClosedByServer();
        }
    }

    /** The literal limit holds on what the client declares, whatever the bytes compress to. */
    @Test
    void aCompressedLiteralOverTheLimitIsAViolation() throws IOException {
        try (var client = compressed("plain")) {
            client.socket().getOutputStream().write(deflated("b APPEND INBOX {2097152+}\r\n" + "x".repeat(2 * 1024 * 1024)));
            assertEquals("* BYE Literal too big", client.readLine());
            client.assertClosedByServer();
        }
    }

    @Test
    void garbageInsteadOfDeflateIsAnsweredWithByeAndAClose() throws IOException {
        try (var client = server.imap()) {
            login(client);
            assertEquals("z OK DEFLATE active.", client.tagged("z", "COMPRESS DEFLATE"));
            var garbage = new byte[4096];
            new Random(16).nextBytes(garbage);
            garbage[0] = (byte) 0xff; // BTYPE 11: reserved, invalid in any stream
            client.socket().getOutputStream().write(garbage);
            client.compress();
            var bye = client.readLine();
            assertTrue(bye.startsWith("* BYE Invalid DEFLATE data"), bye);
            client.assertClosedByServer();
        }
    }

    /** The client ends its DEFLATE stream with a final block: its input has ended, the session closes. */
    @Test
    void theEndOfTheClientsStreamEndsTheSession() throws IOException {
        try (var client = server.imap()) {
            login(client);
            assertEquals("z OK DEFLATE active.", client.tagged("z", "COMPRESS DEFLATE"));
            var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput("b NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            deflater.finish();
            var stream = new byte[64];
            int n = deflater.deflate(stream);
            client.write(Arrays.copyOf(stream, n));
            client.compress();
            assertEquals("b OK NOOP completed.", client.readLine());
            client.assertClosedByServer();
        }
    }
}
