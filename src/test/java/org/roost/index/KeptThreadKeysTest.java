package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.sort.KeyRanker;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * The thread keys are kept across restarts in {@value KeptThreadKeys#NAME}: the first THREAD after a
 * start reads no message file (counted) and threads with the same keys; a damaged, cut or foreign file,
 * or one made with another bound on references, is ignored and the keys made again, the same.
 */
class KeptThreadKeysTest {
    private static final int MAX_REFERENCES = 1000;

    @TempDir
    Path root;

    private final AtomicInteger opens = new AtomicInteger();

    @Test
    void keptAcrossARestartAndMadeAgainWhenTheFileIsNotToTrust() throws IOException {
        var random = new Random(5);
        var state = state();
        for (int i = 0; i < 300; i++) {
            append(state, random, i);
        }
        var made = keys(state, MAX_REFERENCES);
        assertTrue(opens.get() >= 300, opens + " reads to make them");
        var file = root.resolve("u").resolve(KeptThreadKeys.NAME);
        assertTrue(Files.exists(file), "kept for the next start");

        opens.set(0);
        var afterRestart = keys(state(), MAX_REFERENCES);
        assertEquals(0, opens.get(), "the first THREAD after a start reads no message");
        assertEquals(rows(made, false), rows(afterRestart, false), "the very same keys");

        var good = Files.readAllBytes(file);
        var flipped = good.clone();
        flipped[flipped.length / 3] ^= 0x04;
        for (var damaged : List.of(flipped, Arrays.copyOf(good, good.length / 2), new byte[0])) {
            Files.write(file, damaged);
            opens.set(0);
            var again = keys(state(), MAX_REFERENCES);
            assertTrue(opens.get() >= 300, opens + " reads with a damaged file");
            assertEquals(rows(made, true), rows(again, true), "made again, the same threads");
        }
        opens.set(0);
        keys(state(), MAX_REFERENCES);
        assertEquals(0, opens.get(), "the file was written anew");

        opens.set(0);
        var fewer = keys(state(), 2);
        assertTrue(opens.get() >= 300, "made with another bound on references: made again");
        assertTrue(IntStream.range(0, fewer.size()).allMatch(row -> fewer.referenceCount(row) <= 2));
    }

    @Test
    void oneAppendIsTheOneMessageTheNextThreadReads() throws IOException {
        var random = new Random(6);
        var state = state();
        for (int i = 0; i < 300; i++) {
            append(state, random, i);
        }
        keys(state, MAX_REFERENCES);
        append(state, random, 300);
        opens.set(0);
        var keys = keys(state, MAX_REFERENCES);
        assertEquals(1, opens.get(), "only the new message is read");
        assertEquals(301, keys.size());
        assertEquals(rows(fresh(state), true), rows(keys, true), "the keys a making from every message gives");
        opens.set(0);
        keys(state, MAX_REFERENCES);
        assertEquals(0, opens.get(), "read once");
    }

    @Test
    void aMessageAddedWhileDownIsTheOneMessageRead() throws IOException {
        var random = new Random(6);
        var state = state();
        for (int i = 0; i < 50; i++) {
            append(state, random, i);
        }
        keys(state, MAX_REFERENCES);
        state = state();
        append(state, random, 50);
        opens.set(0);
        var keys = keys(state, MAX_REFERENCES);
        assertEquals(1, opens.get(), "the new message alone is read");
        assertEquals(51, keys.size());
        assertTrue(keys.messageId(50) != ThreadKeys.NONE);
        assertEquals(rows(fresh(state), true), rows(keys, true));
    }

    /**
     * Rounds of new messages that reply in loops (to themselves, to each other, to a later one), share a
     * Message-ID with each other or with an old message, have none, or name an ID only another new one
     * has; expunges until most rows are unused (compacted); restarts between. After each round the kept
     * keys are those a making from every message gives (numbered alike), and only new messages were read.
     */
    @Test
    void hostileAdditionsExpungesAndRestartsKeepTheKeysOfAMaking() throws IOException {
        var random = new Random(8);
        var state = state();
        for (int i = 0; i < 200; i++) {
            append(state, random, i);
        }
        keys(state, MAX_REFERENCES);
        int next = 200;
        for (int round = 0; round < 30; round++) {
            boolean restart = round % 4 == 3;
            if (restart) {
                state = state();
            }
            if (round % 5 == 4) {
                var view = new MailboxView(state, false);
                var gone = new ArrayList<org.roost.mail.StoredMessage>();
                for (int seq = 1; seq <= view.count(); seq++) {
                    if (random.nextInt(3) > 0) {
                        gone.add(view.message(seq));
                    }
                }
                state.expunge(gone);
            }
            int added = random.nextInt(0, 6);
            for (int k = 0; k < added; k++) {
                hostile(state, random, next++);
            }
            opens.set(0);
            var kept = keys(state, MAX_REFERENCES);
            // after a restart, also those added since the files were written: at most one kept row in 8
            int bound = added + (restart ? kept.size() / 8 + 1 : 0);
            assertTrue(opens.get() <= bound, "round " + round + ": " + opens + " reads for " + added + " new");
            assertEquals(rows(fresh(state), true), rows(kept, true), "round " + round);
        }
        opens.set(0);
        keys(state(), MAX_REFERENCES);
        assertEquals(0, opens.get(), "kept across the last restart with every addition");
    }

    @Test
    void aDamagedNamesFileMakesTheKeysAgain() throws IOException {
        var random = new Random(9);
        var state = state();
        for (int i = 0; i < 100; i++) {
            append(state, random, i);
        }
        keys(state, MAX_REFERENCES);
        var names = root.resolve("u").resolve(ThreadKeyNames.NAME);
        var good = Files.readAllBytes(names);
        var flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x10;
        for (var damaged : List.of(flipped, Arrays.copyOf(good, good.length - 3), new byte[0])) {
            Files.write(names, damaged);
            state = state();
            append(state, random, 100);
            opens.set(0);
            var keys = keys(state, MAX_REFERENCES);
            assertTrue(opens.get() >= 101, opens + " reads: made again");
            assertEquals(rows(fresh(state), true), rows(keys, true));
            var view = new MailboxView(state, false);
            state.expunge(List.of(view.message(view.count())));
            keys(state, MAX_REFERENCES);
        }
        Files.delete(names);
        state = state();
        append(state, random, 100);
        opens.set(0);
        keys(state, MAX_REFERENCES);
        assertTrue(opens.get() >= 101, opens + " reads without the names file: made again");
    }

    /** The keys of every message of {@code state} made anew, kept nowhere. */
    private static ThreadKeys fresh(MailboxState state) throws IOException {
        var view = new MailboxView(state, false);
        view.learnAll(Set.of(Fact.FILE_STATUS), Cancellation.never());
        return new KeptThreadKeys(new FileLookups(1), KeyRanker.RUN_BYTES, null).select(view,
                IntStream.rangeClosed(1, view.count()).toArray(), MAX_REFERENCES, Cancellation.never());
    }

    /**
     * Message i as one of the hostile kinds: a reply to itself; a reply to the next message, which
     * replies to it (a loop across two additions); the Message-ID of an older message, or of the one
     * before; no Message-ID; a subject only case and "Re:" tell from an older one's.
     */
    private static void hostile(MailboxState state, Random random, int i) throws IOException {
        int old = random.nextInt(i);
        String headers = switch (random.nextInt(6)) {
            case 0 -> "Message-ID: <m" + i + "@h>\r\nReferences: <m" + i + "@h>\r\nSubject: self\r\n";
            case 1 -> "Message-ID: <m" + i + "@h>\r\nReferences: <m" + (i + 1) + "@h> <m" + (i - 1) + "@h>\r\n"
                    + "In-Reply-To: <m" + (i + 1) + "@h>\r\nSubject: Re: loop\r\n";
            case 2 -> "Message-ID: <m" + old + "@h>\r\nSubject: s" + old + "\r\n";
            case 3 -> "Message-ID: <m" + (i - 1) + "@h>\r\nReferences: <m" + old + "@h>\r\nSubject: Fwd: dup\r\n";
            case 4 -> "Subject: RE: S" + old + "\r\nReferences: <nowhere" + old + "@h>\r\n";
            default -> "Message-ID: <m" + i + "@h>\r\nIn-Reply-To: <m" + old + "@h>\r\nSubject: \r\n";
        };
        var text = headers + "Date: 3 Jun 2024 11:" + i % 60 + ":00 +0000\r\n\r\nbody\r\n";
        state.append(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(),
                Instant.ofEpochSecond(1717412400L + i));
    }

    private MailboxState state() throws IOException {
        return new MailboxState("u", "INBOX", new CountingStore(new MaildirDriver(MaildirOptions.defaults()
                .withFsync(false)).open(root.resolve("u")).mailbox("INBOX"), opens), true, false);
    }

    private static ThreadKeys keys(MailboxState state, int maxReferences) throws IOException {
        var view = new MailboxView(state, false);
        view.learnAll(Set.of(Fact.FILE_STATUS), Cancellation.never());
        return view.threadKeys(IntStream.rangeClosed(1, view.count()).toArray(), maxReferences, Cancellation.never());
    }

    /** Message i: one in three a reply to one of the ten before it, with its References chain. */
    private static void append(MailboxState state, Random random, int i) throws IOException {
        var text = new StringBuilder("Message-ID: <m" + i + "@h>\r\nSubject: ");
        if (i > 0 && random.nextInt(3) > 0) {
            int parent = Math.max(0, i - 1 - random.nextInt(10));
            text.append("Re: s").append(parent).append("\r\nIn-Reply-To: <m").append(parent).append("@h>\r\n")
                    .append("References: <m").append(Math.max(0, parent - 3)).append("@h> <m").append(parent)
                    .append("@h>\r\n");
        } else {
            text.append("s").append(i).append("\r\n");
        }
        text.append("Date: 3 Jun 2024 10:").append(i % 60).append(":00 +0000\r\n\r\nbody\r\n");
        state.append(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(),
                Instant.ofEpochSecond(1717408800L + i));
    }

    /**
     * Each row's keys as text; with {@code renumbered}, the ID and subject numbers as first met along the
     * rows (two makings number the IDs in the order their threads happen to read them, and numbers given
     * to added rows follow no order), the empty subject staying 0.
     */
    private static List<String> rows(ThreadKeys keys, boolean renumbered) {
        var numbers = new HashMap<Integer, Integer>();
        IntUnaryOperator id = number -> number == ThreadKeys.NONE || !renumbered ? number
                : numbers.computeIfAbsent(number, k -> numbers.size());
        var subjectNumbers = new HashMap<Integer, Integer>(java.util.Map.of(0, 0));
        IntUnaryOperator subject = number -> !renumbered ? number
                : subjectNumbers.computeIfAbsent(number, k -> subjectNumbers.size());
        var rows = new ArrayList<String>();
        for (int row = 0; row < keys.size(); row++) {
            var text = new StringBuilder(keys.sentDate(row) + " " + subject.applyAsInt(keys.subject(row)) + " "
                    + keys.replyOrForward(row)
                    + " " + id.applyAsInt(keys.messageId(row)) + " <");
            for (int k = 0; k < keys.referenceCount(row); k++) {
                text.append(' ').append(id.applyAsInt(keys.reference(row, k)));
            }
            rows.add(text.append('>').toString());
        }
        return rows;
    }
}
