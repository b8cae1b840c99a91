package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * A Maildir that another program wrote, its file names without {@code W=}: the mailbox opens without
 * reading a message, the first command that needs the virtual sizes measures them, each exactly and
 * once for all sessions, they are kept through the index log across restarts, and a measurement that
 * stops halfway (a failure, an interrupt, a torn log, files vanishing, other sessions' changes) keeps
 * what it measured and leaves a consistent index.
 */
class LazySizesTest {
    /** Three batches of measuring, the last one short. */
    private static final int MESSAGES = 2 * SizeMeasurer.BATCH + 123;

    @TempDir
    Path root;
    private final AtomicInteger opens = new AtomicInteger();
    private final List<Long> expected = new ArrayList<>();
    private CountingStore store;

    /** A seeded mix of bare LF, CRLF and lone CR line ends, in names as procmail or Courier give them. */
    @BeforeEach
    void foreignMaildir() throws IOException {
        var cur = root.resolve("u/cur");
        Files.createDirectories(cur);
        var random = new Random(0x51_2e5L);
        for (int i = 0; i < MESSAGES; i++) {
            var text = new ByteArrayOutputStream();
            text.writeBytes(("Subject: message " + i).getBytes(StandardCharsets.US_ASCII));
            for (int line = random.nextInt(40); line >= 0; line--) {
                text.writeBytes(new String[] {"\n", "\r\n", "\r"}[random.nextInt(3)].getBytes(StandardCharsets.US_ASCII));
                text.writeBytes("x".repeat(random.nextInt(90)).getBytes(StandardCharsets.US_ASCII));
            }
            var bytes = text.toByteArray();
            var base = (1_700_000_000L + i) + ".M" + i + "P7.mx";
            Files.write(cur.resolve(i % 2 == 0 ? base + ",S=" + bytes.length + ":2,S" : base + ":2,"), bytes);
            expected.add(virtualSize(bytes));
        }
    }

    /** The oracle: every LF not preceded by CR becomes CRLF (RFC 5322 line ends, as BODY[] sends them). */
    private static long virtualSize(byte[] bytes) {
        long size = bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                size++;
            }
        }
        return size;
    }

    private MailboxState open() throws IOException {
        var maildir = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(root.resolve("u")).mailbox("INBOX");
        store = new CountingStore(maildir, opens);
        return new MailboxState("u", "INBOX", store, true, false);
    }

    private List<Long> sizes(MailboxView view) {
        var sizes = new ArrayList<Long>();
        for (int seq = 1; seq <= view.count(); seq++) {
            sizes.add(view.virtualSize(seq));
        }
        return sizes;
    }

    private static long known(List<Long> sizes) {
        return sizes.stream().filter(size -> size != StoredMessage.UNKNOWN_SIZE).count();
    }

    @Test
    void theMailboxOpensWithoutReadingAMessageAndMeasuresEachOnceWhenFirstNeeded() throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        assertEquals(MESSAGES, view.count());
        assertEquals(0, opens.get(), "opening (the first SELECT) reads no message");
        assertEquals(MESSAGES, state.current().pendingSizes());
        assertEquals(0, known(sizes(view)));

        view.measureAllSizes(Cancellation.never());
        assertEquals(MESSAGES, opens.get(), "each message read once");
        assertEquals(expected, sizes(view));
        assertEquals(expected.stream().mapToLong(Long::longValue).sum(), state.current().totalVirtualSize());
        assertEquals(0, state.current().pendingSizes());
        view.measureAllSizes(Cancellation.never());
        state.measureSizes(state.current(), Cancellation.never());
        assertEquals(MESSAGES, opens.get(), "and never again");
        state.close();

        opens.set(0);
        var reopened = open();
        var again = new MailboxView(reopened, false);
        assertEquals(0, reopened.current().pendingSizes(), "the summary knows before the records are read");
        assertEquals(expected, sizes(again), "kept in the index");
        again.measureAllSizes(Cancellation.never());
        assertEquals(0, opens.get(), "not measured again after a restart");
        reopened.close();
    }

    @Test
    void aCommandMeasuresOnlyTheMessagesItNames() throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        int[] seqs = {3, 5, 8, 13, 21};
        view.inChunks(seqs, true, Cancellation.never(), (from, to) -> {
            for (int k = from; k < to; k++) {
                assertEquals(expected.get(seqs[k] - 1), view.virtualSize(seqs[k]));
            }
        });
        assertEquals(seqs.length, opens.get());
        assertEquals(MESSAGES - seqs.length, state.current().pendingSizes());
        state.close();
    }

    @Test
    @Timeout(60)
    void twoSessionsMeasuringAtOnceReadEachMessageOnce() throws Exception {
        var state = open();
        var start = new CountDownLatch(1);
        try (var sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = sessions.submit(() -> measureAll(state, start));
            var b = sessions.submit(() -> measureAll(state, start));
            start.countDown();
            assertEquals(expected, a.get());
            assertEquals(expected, b.get());
        }
        assertEquals(MESSAGES, opens.get());
        state.close();
    }

    private List<Long> measureAll(MailboxState state, CountDownLatch start) throws Exception {
        var view = new MailboxView(state, true);
        start.await();
        view.measureAllSizes(Cancellation.never());
        return sizes(view);
    }

    @Test
    void aMeasurementThatFailsHalfwayKeepsWhatItMeasured() throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        long failing = view.uid(SizeMeasurer.BATCH + 7);
        store.beforeOpen(m -> {
            if (m.uid() == failing) {
                throw new IOException("disk error");
            }
        });
        assertThrows(IOException.class, () -> view.measureAllSizes(Cancellation.never()));
        assertEquals(SizeMeasurer.BATCH, known(sizes(view)), "the first batch is kept");
        state.close();

        var reopened = open();
        var again = new MailboxView(reopened, false);
        assertEquals(expected.subList(0, SizeMeasurer.BATCH), sizes(again).subList(0, SizeMeasurer.BATCH));
        opens.set(0);
        again.measureAllSizes(Cancellation.never());
        assertEquals(MESSAGES - SizeMeasurer.BATCH, opens.get(), "what was measured is not measured again");
        assertEquals(expected, sizes(again));
        reopened.close();
    }

    @Test
    @Timeout(60)
    void anInterruptedMeasurementStopsAndKeepsWhatItMeasured() throws Exception {
        var state = open();
        var view = new MailboxView(state, false);
        long blocking = view.uid(SizeMeasurer.BATCH + 1);
        var reached = new CountDownLatch(1);
        store.beforeOpen(m -> {
            if (m.uid() == blocking) {
                reached.countDown();
                try {
                    new CountDownLatch(1).await(); // a read that hangs until interrupted
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted");
                }
            }
        });
        var failure = new Throwable[1];
        var session = Thread.ofVirtual().start(() -> {
            try {
                view.measureAllSizes(Cancellation.never());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        session.interrupt();
        session.join();
        assertTrue(failure[0] instanceof InterruptedIOException, String.valueOf(failure[0]));
        assertTrue(opens.get() < 2 * SizeMeasurer.BATCH, "stopped within the batch: " + opens.get());
        assertEquals(SizeMeasurer.BATCH, known(sizes(view)));
        state.close();
    }

    /** A session kicked or hung up on stops measuring at the next message, keeping the batches it finished. */
    @Test
    void aCancelledMeasurementStopsAtTheNextMessageAndKeepsWhatItMeasured() throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        int stopAt = SizeMeasurer.BATCH + 100;
        var checks = new AtomicInteger();
        Cancellation kickedMidway = () -> {
            if (checks.incrementAndGet() > stopAt) {
                throw new Cancellation.Cancelled(false);
            }
        };
        assertThrows(Cancellation.Cancelled.class, () -> view.measureAllSizes(kickedMidway));
        assertTrue(opens.get() <= stopAt, "no message read after the cancellation: " + opens.get());
        assertEquals(SizeMeasurer.BATCH, known(sizes(view)), "the finished batch is kept");
        state.close();
    }

    @Test
    void aFileThatVanishesStaysUnknownWhileTheOthersAreMeasured() throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        var gone = view.message(10);
        try (var files = Files.list(root.resolve("u/cur"))) {
            for (var file : files.filter(f -> f.getFileName().toString().startsWith(gone.key())).toList()) {
                Files.delete(file);
            }
        }
        view.measureAllSizes(Cancellation.never());
        var sizes = sizes(view);
        assertEquals(StoredMessage.UNKNOWN_SIZE, sizes.get(9));
        sizes.set(9, expected.get(9));
        assertEquals(expected, sizes);
        state.close();
    }

    @Test
    void aTornLogKeepsTheSizesOfItsWholeTransactions() throws IOException {
        var state = open();
        new MailboxView(state, false).measureAllSizes(Cancellation.never());
        state.close();
        var log = root.resolve("u").resolve(IndexFormat.LOG_FILE);
        try (var channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5); // the last batch's commit, torn
        }
        long rebuilds = MailboxIndex.rebuilds();
        opens.set(0);
        var reopened = open();
        var sizes = sizes(new MailboxView(reopened, false));
        assertEquals(2L * SizeMeasurer.BATCH, known(sizes));
        assertEquals(expected.subList(0, 2 * SizeMeasurer.BATCH), sizes.subList(0, 2 * SizeMeasurer.BATCH));
        assertEquals(rebuilds, MailboxIndex.rebuilds(), "no rebuild");
        assertEquals(0, opens.get());
        reopened.close();
    }

    /** Appends, flag changes and expunges by another session while the sizes are measured. */
    @Test
    @Timeout(120)
    void otherSessionsChangesDuringAMeasurementLeaveAConsistentIndex() throws Exception {
        var state = open();
        var measuring = new MailboxView(state, true);
        var random = new Random(77);
        try (var sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            var measured = sessions.submit(() -> {
                measuring.measureAllSizes(Cancellation.never());
                return null;
            });
            while (!measured.isDone()) {
                var snapshot = state.current();
                var m = snapshot.message(random.nextInt(snapshot.count()));
                switch (random.nextInt(3)) {
                    case 0 -> state.append(new ByteArrayInputStream("Subject: new\n\nhi\n".getBytes(StandardCharsets.US_ASCII)),
                            Set.of(), Set.of(), Instant.ofEpochSecond(1_800_000_000L));
                    case 1 -> state.setFlags(List.of(new MailboxState.FlagChange(m, Set.of(SystemFlag.FLAGGED), Set.of())));
                    default -> state.expunge(List.of(m));
                }
            }
            measured.get();
        }
        var sizes = sizes(new MailboxView(state, true));
        var summary = state.current().summary();
        state.close();

        long rebuilds = MailboxIndex.rebuilds();
        var reopened = open();
        assertEquals(summary, reopened.current().summary(), "the log's last commit");
        var view = new MailboxView(reopened, true);
        assertEquals(sizes, sizes(view), "the same sizes after a restart");
        assertEquals(summary, TableSummary.of(reopened.current().table()), "records and log agree");
        assertEquals(rebuilds, MailboxIndex.rebuilds(), "no damage found");
        reopened.close();
    }
}
