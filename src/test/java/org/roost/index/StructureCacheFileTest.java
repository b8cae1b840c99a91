package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.command.MessageSets;
import org.roost.imap.command.TestContexts;
import org.roost.imap.fetch.FetchCommand;
import org.roost.imap.protocol.Fetch;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.StructureFormatter;
import org.roost.mail.SequenceSet;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.mail.mime.DovecotFixtures;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SectionRange;
import org.roost.mail.mime.SectionSpec;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.MailboxStore;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * roost.index.cache: after a reopen, structures come from the file without opening a message;
 * the answers are the same bytes as from a parse; damaged files are ignored and rebuilt; expunged
 * messages are never answered from it.
 */
class StructureCacheFileTest {
    private static final long SEED = 0x57c4_2026L;
    private static final int MESSAGES = 24;

    @TempDir
    Path root;

    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();

    private IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
    }

    /** The INBOX as a fresh server would open it, its message-file opens counted. */
    private MailboxState open(boolean useIndex) throws IOException {
        var store = new CountingStore(new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(root.resolve("u"))
                .mailbox("INBOX"), opens);
        store.countBytesRead(bytesRead);
        var state = new MailboxState("u", "INBOX", store, useIndex, false);
        try {
            state.awaitStructurePreload();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return state;
    }

    private Path cacheFile() {
        return root.resolve("u").resolve(StructureCacheFile.FILE);
    }

    /** A seeded pick of the MIME corpus (plain, nested, broken, generated) appended to the INBOX. */
    private void fill() throws IOException {
        var names = Stream.of(DovecotFixtures.NAMES, DovecotFixtures.MUTANTS, DovecotFixtures.GENERATED)
                .flatMap(List::stream).toList();
        var random = new Random(SEED);
        var state = open(true);
        for (int i = 0; i < MESSAGES; i++) {
            var name = i < 4 ? DovecotFixtures.NAMES.get(i) : names.get(random.nextInt(names.size()));
            state.append(new ByteArrayInputStream(DovecotFixtures.message(name)), Set.of(), Set.of(),
                    Instant.parse("2024-03-01T10:00:00Z").plusSeconds(i));
        }
        state.close();
    }

    /** What FETCH would send for each message: ENVELOPE, BODY, BODYSTRUCTURE and a header-fields section. */
    private static List<String> answers(MailboxState state) throws IOException {
        var out = new ArrayList<String>();
        for (var m : state.current().messages()) {
            out.add(render(state.structure(m)));
        }
        return out;
    }

    private static String render(MessageStructure s) throws IOException {
        var out = new ByteArrayOutputStream();
        StructureFormatter.writeEnvelope(out, s.envelope());
        StructureFormatter.writeBody(out, s.body());
        StructureFormatter.writeBodyStructure(out, s.bodyStructure());
        var fields = s.range(SectionSpec.fields(false, List.of("From", "Subject", "Date", "Message-ID")));
        out.writeBytes(((SectionRange.Bytes) fields).data());
        out.writeBytes((s.size() + " " + s.range(SectionSpec.of(SectionSpec.Kind.TEXT, 1))).getBytes(StandardCharsets.US_ASCII));
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The answers parsed from the message files, without any cache file. */
    private List<String> parsedAnswers() throws IOException {
        var state = open(false);
        try {
            return answers(state);
        } finally {
            state.close();
        }
    }

    /** Opens the mailbox as after a restart and answers every message; returns how many message files it opened. */
    private int answerAfterRestart(List<String> expected) throws IOException {
        opens.set(0);
        var state = open(true);
        try {
            assertEquals(expected, answers(state));
            return opens.get();
        } finally {
            state.close();
        }
    }

    @Test
    void afterARestartStructuresComeFromTheFileWithTheSameBytes() throws IOException {
        fill();
        var expected = parsedAnswers();
        assertFalse(Files.exists(cacheFile()), "without index files there is no cache file");
        assertEquals(MESSAGES, answerAfterRestart(expected), "first use parses every message");
        assertTrue(Files.size(cacheFile()) > 0);
        assertEquals(0, answerAfterRestart(expected), "after a restart no message file is opened");
        assertEquals(0, answerAfterRestart(expected));
    }

    @Test
    void fetchAfterARestartSendsTheSameBytesWithoutOpeningAMessage() throws IOException {
        fill();
        var withoutCache = fetch(open(false));
        fetch(open(true));
        opens.set(0);
        assertEquals(withoutCache, fetch(open(true)));
        assertEquals(0, opens.get(), "ENVELOPE, BODY, BODYSTRUCTURE and HEADER.FIELDS from the cache file");
    }

    @Test
    void envelopesAloneReadHeadersOnlyAndAreKeptAcrossARestart() throws IOException {
        fill();
        var big = "From: big@example.org\r\nSubject: ten megabytes\r\n\r\n" + ("b".repeat(998) + "\r\n").repeat(10_000);
        var state = open(true);
        state.append(new ByteArrayInputStream(big.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(),
                Instant.parse("2024-03-02T10:00:00Z"));
        state.close();
        var expected = parsedAnswers();
        var envelopes = List.<FetchItem>of(new FetchItem.Uid(), new FetchItem.Envelope());
        var fromHeaders = fetch(open(false), envelopes); // nothing cached: parsed from the header alone

        bytesRead.set(0);
        opens.set(0);
        assertEquals(fromHeaders, fetch(open(true), envelopes));
        assertEquals(MESSAGES + 1, opens.get());
        long limit = (MESSAGES + 1) * (long) MessageStructure.Limits.DEFAULT.maxHeaderBytes();
        assertTrue(bytesRead.get() < limit, bytesRead.get() + " bytes read for the envelopes: the body of 10 MB too");

        opens.set(0);
        assertEquals(fromHeaders, fetch(open(true), envelopes));
        assertEquals(0, opens.get(), "after a restart the envelopes come from the cache file");

        opens.set(0);
        var state2 = open(true);
        assertEquals(expected, answers(state2), "a header alone is never taken for the whole structure");
        assertEquals(MESSAGES + 1, opens.get());
        state2.close();
        assertEquals(0, answerAfterRestart(expected), "the parsed structures replaced the headers in the file");
        assertEquals(fromHeaders, fetch(open(true), envelopes));
    }

    /** FETCH 1:* as a client lists a mailbox, through the real FETCH command; closes the state. */
    private static String fetch(MailboxState state) throws IOException {
        var fields = new FetchItem.Section(true, new int[0], FetchItem.SectionText.HEADER_FIELDS,
                List.of("From", "To", "Subject", "Date", "Message-ID", "References"), FetchItem.Section.NO_PARTIAL,
                FetchItem.Section.NO_PARTIAL, null);
        return fetch(state, List.of(new FetchItem.Uid(), new FetchItem.Envelope(), new FetchItem.Structure(true),
                new FetchItem.Structure(false), fields));
    }

    /** FETCH 1:* (items) through the real FETCH command; closes the state. */
    private static String fetch(MailboxState state, List<FetchItem> items) throws IOException {
        var out = new ByteArrayOutputStream();
        var context = TestContexts.selected(new MailboxView(state, true), out, Cancellation.never());
        Reply reply;
        try {
            reply = new FetchCommand(200).execute(new Fetch("a", false, SequenceSet.parse("1:*"), items), context);
        } catch (MessageSets.InvalidSet e) {
            throw new AssertionError(e);
        }
        context.writer().flush();
        state.close();
        return out.toString(StandardCharsets.ISO_8859_1) + reply;
    }

    @Test
    void theNewestStructuresAreOnTheHeapOnceOpened() throws IOException {
        fill();
        var expected = parsedAnswers();
        answerAfterRestart(expected);
        opens.set(0);
        var state = open(true);
        try (var channel = FileChannel.open(cacheFile(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) channel.size()), 0); // the file is of no use from here on
        }
        assertEquals(expected, answers(state));
        assertEquals(0, opens.get(), "read ahead while the mailbox opened");
        state.close();
    }

    @Test
    void damagedCacheFilesAreIgnoredAndRebuilt() throws IOException {
        fill();
        var expected = parsedAnswers();
        answerAfterRestart(expected);
        byte[] good = Files.readAllBytes(cacheFile());
        var random = new Random(SEED);
        for (int round = 0; round < 60; round++) {
            Files.write(cacheFile(), damage(good, round % 7, random));
            answerAfterRestart(expected); // whatever is damaged is parsed again and written anew
            assertEquals(0, answerAfterRestart(expected), "round " + round + ": rebuilt");
        }
    }

    @Test
    void anotherVersionOrUidValidityIsNotServed() throws IOException {
        fill();
        var expected = parsedAnswers();
        answerAfterRestart(expected);
        byte[] good = Files.readAllBytes(cacheFile());
        for (int field : new int[] {4, 8}) {
            var header = ByteBuffer.wrap(good.clone());
            header.putInt(field, header.getInt(field) + 1);
            header.putInt(28, crc(header.array(), 0, 28)); // a well-formed header, just not ours
            Files.write(cacheFile(), header.array());
            assertEquals(MESSAGES, answerAfterRestart(expected), "field " + field + ": nothing served");
            assertEquals(0, answerAfterRestart(expected), "field " + field + ": rebuilt");
        }
    }

    @Test
    void expungedMessagesAreNeverServed() throws IOException {
        fill();
        var expected = parsedAnswers();
        answerAfterRestart(expected);
        var state = open(true);
        var gone = state.current().message(3);
        var deletedElsewhere = state.current().message(5);
        state.structure(gone);
        state.structure(deletedElsewhere);
        state.expunge(List.of(gone));
        IndexPersistenceTest.pause();
        deleteMessageFile(deletedElsewhere);
        state.refresh(true);
        assertThrows(IOException.class, () -> state.structure(gone));
        assertThrows(IOException.class, () -> state.structure(deletedElsewhere), "parsed before, but expunged since");
        state.close();
        var reopened = open(true);
        assertThrows(IOException.class, () -> reopened.structure(gone));
        assertThrows(IOException.class, () -> reopened.structure(deletedElsewhere));
        reopened.close();
    }

    @Test
    void forgottenRecordsAreCompactedAway() throws IOException {
        fill();
        var state = open(false);
        var snapshot = state.current();
        var file = new StructureCacheFile(root, "test", 4, 1_000_000);
        for (var m : snapshot.messages()) {
            file.write(m, state.structure(m), snapshot);
        }
        var path = root.resolve(StructureCacheFile.FILE);
        long full = Files.size(path);
        var messages = snapshot.messages();
        for (int i = 0; i < MESSAGES / 2 + 1; i++) {
            file.forget(messages[i].uid());
        }
        assertTrue(Files.size(path) < full, "rewritten without the forgotten records");
        assertEquals(MESSAGES / 2 - 1, file.liveRecords());
        for (int i = 0; i < MESSAGES; i++) {
            var cached = file.read(messages[i], snapshot);
            if (i <= MESSAGES / 2) {
                assertNull(cached, "forgotten " + i);
            } else {
                assertEquals(render(state.structure(messages[i])), render(cached));
            }
        }
        file.close();
        state.close();
    }

    @Test
    void damageWhileOpenCostsAParseNotAnError() throws IOException {
        fill();
        var state = open(false);
        var snapshot = state.current();
        var file = new StructureCacheFile(root, "test", 1024, 1_000_000);
        for (var m : snapshot.messages()) {
            file.write(m, state.structure(m), snapshot);
        }
        var path = root.resolve(StructureCacheFile.FILE);
        var random = new Random(SEED);
        byte[] noise = new byte[(int) Files.size(path) - 32];
        random.nextBytes(noise);
        try (var channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(noise), 32); // records garbled under the open table
        }
        for (var m : snapshot.messages()) {
            assertNull(file.read(m, snapshot), "garbled record " + m.uid() + " not served");
        }
        var first = snapshot.message(0);
        file.write(first, state.structure(first), snapshot);
        assertEquals(render(state.structure(first)), render(file.read(first, snapshot)), "written anew");
        file.close();
        state.close();
    }

    @Test
    void sessionsReadingAtOnceGetTheSameAnswers() throws Exception {
        fill();
        var expected = parsedAnswers();
        var state = open(true); // no file yet: every session parses and writes at once

        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<java.util.concurrent.Future<List<String>>>();
            for (int i = 0; i < 8; i++) {
                results.add(executor.submit(() -> answers(state)));
            }
            for (var r : results) {
                assertEquals(expected, r.get());
            }
        }
        state.close();
        assertEquals(0, answerAfterRestart(expected), "each structure written once, whole");
    }

    /** Structures written with a checkpoint every few records; returns what each message's should render as. */
    private List<String> writeWithCheckpoints(MailboxState state) throws IOException {
        var snapshot = state.current();
        var file = new StructureCacheFile(root, "test", 1_000_000, 4);
        var expected = new ArrayList<String>();
        for (var m : snapshot.messages()) {
            file.write(m, state.structure(m), snapshot);
            expected.add(render(state.structure(m)));
        }
        file.close();
        assertTrue(Files.exists(root.resolve(StructureCacheMap.FILE)));
        return expected;
    }

    /** Reads every message from a freshly opened file; null where it had nothing usable. */
    private static List<String> readAll(StructureCacheFile file, MailboxSnapshot snapshot) throws IOException {
        var out = new ArrayList<String>();
        for (var m : snapshot.messages()) {
            var s = file.read(m, snapshot);
            out.add(s == null ? null : render(s));
        }
        return out;
    }

    @Test
    void anOpenReadsTheCheckpointNotTheWholeFile() throws IOException {
        fill();
        var state = open(false);
        var snapshot = state.current();
        var expected = writeWithCheckpoints(state);
        var path = root.resolve(StructureCacheFile.FILE);
        byte[] bytes = Files.readAllBytes(path);
        bytes[32 + 4] ^= 1; // the first record's CRC: a full read would stop there and drop all that follows
        Files.write(path, bytes);
        var file = new StructureCacheFile(root, "test", 1_000_000, 4);
        var read = readAll(file, snapshot);
        assertNull(read.getFirst());
        assertEquals(expected.subList(1, MESSAGES), read.subList(1, MESSAGES), "the rest from the checkpointed table");
        file.close();
        state.close();
    }

    @Test
    void damagedCheckpointsAreIgnored() throws IOException {
        fill();
        var state = open(false);
        var snapshot = state.current();
        var expected = writeWithCheckpoints(state);
        var cachePath = root.resolve(StructureCacheFile.FILE);
        var mapPath = root.resolve(StructureCacheMap.FILE);
        byte[] goodCache = Files.readAllBytes(cachePath);
        byte[] goodMap = Files.readAllBytes(mapPath);
        var random = new Random(SEED);
        for (int round = 0; round < 80; round++) {
            Files.write(cachePath, round % 3 == 0 ? damage(goodCache, random.nextInt(7), random) : goodCache);
            Files.write(mapPath, round % 3 != 1 ? damage(goodMap, random.nextInt(7), random) : goodMap);
            var file = new StructureCacheFile(root, "test", 1_000_000, 4);
            var read = readAll(file, snapshot);
            for (int i = 0; i < MESSAGES; i++) {
                if (read.get(i) == null) {
                    file.write(snapshot.message(i), state.structure(snapshot.message(i)), snapshot);
                } else {
                    assertEquals(expected.get(i), read.get(i), "round " + round + " message " + i);
                }
            }
            file.close();
            var reopened = new StructureCacheFile(root, "test", 1_000_000, 4);
            assertEquals(expected, readAll(reopened, snapshot), "round " + round + ": rebuilt");
            reopened.close();
        }
        state.close();
    }

    @Test
    void aRebuiltIndexStartsTheCacheAfresh() throws IOException {
        fill();
        var expected = parsedAnswers();
        answerAfterRestart(expected);
        var state = open(true);
        state.reindex();
        state.close();
        assertFalse(Files.exists(cacheFile()));
        assertEquals(MESSAGES, answerAfterRestart(expected));
    }

    /** Another program (an MUA on the Maildir) deletes a message. */
    private void deleteMessageFile(StoredMessage m) throws IOException {
        for (var sub : List.of("cur", "new")) {
            try (var files = Files.list(root.resolve("u").resolve(sub))) {
                for (var f : files.filter(f -> f.getFileName().toString().startsWith(m.key())).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** One kind of damage: truncation, zeros, random bytes, a flipped byte, garbage appended, a torn record, empty. */
    private static byte[] damage(byte[] good, int kind, Random random) {
        byte[] b = good.clone();
        switch (kind) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 1 -> {
                int from = random.nextInt(b.length);
                Arrays.fill(b, from, Math.min(b.length, from + 1 + random.nextInt(4096)), (byte) 0);
            }
            case 2 -> {
                int from = random.nextInt(b.length);
                for (int i = from; i < Math.min(b.length, from + 1 + random.nextInt(512)); i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            case 3 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            case 4 -> {
                var garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                b = concat(b, garbage);
            }
            case 5 -> b = Arrays.copyOf(b, b.length - 1 - random.nextInt(40));
            default -> b = new byte[random.nextInt(40)];
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        var crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
