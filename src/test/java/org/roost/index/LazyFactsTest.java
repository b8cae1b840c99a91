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
import java.nio.file.attribute.FileTime;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;
import org.roost.mail.StoredMessage;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * A Maildir that another program wrote and no server indexed, its file names without {@code W=}: the
 * mailbox opens without opening or stat'ing a message file, and the first command that needs the
 * internal dates ({@link Fact#FILE_STATUS}: a stat of each file) or the virtual sizes
 * ({@link Fact#VIRTUAL_SIZE}: a stat and a read) looks them up, each exactly and once for all sessions;
 * they are kept through the index log across restarts, and a lookup that stops halfway (a failure, an
 * interrupt, a cancellation, a torn log, files vanishing, other sessions' changes) keeps what it found
 * and leaves a consistent index. Each test runs for either fact.
 */
class LazyFactsTest {
    /** Three batches of lookups, the last one short. */
    private static final int MESSAGES = 2 * FactFinder.BATCH + 123;

    @TempDir
    Path root;
    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger stats = new AtomicInteger();
    private final List<Long> expectedSizes = new ArrayList<>();
    private final List<Long> expectedDates = new ArrayList<>();
    private CountingStore store;

    /**
     * A seeded mix of bare LF, CRLF and lone CR line ends, in names as procmail or Courier give them, and
     * mtimes (the internal dates) from 1950 to 2090, none in the order of delivery.
     */
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
            var file = cur.resolve(i % 2 == 0 ? base + ",S=" + bytes.length + ":2,S" : base + ":2,");
            Files.write(file, bytes);
            long date = -631_152_000L + (long) random.nextInt(140 * 365) * 86_400 + random.nextInt(86_400);
            Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(date)));
            expectedSizes.add(virtualSize(bytes));
            expectedDates.add(date);
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
        store = new CountingStore(maildir, opens, stats);
        return new MailboxState("u", "INBOX", store, true, false);
    }

    /** What {@code fact} tells of each message, in the view's order; the unknown marker where not known. */
    private static List<Long> values(MailboxView view, Fact fact) {
        var values = new ArrayList<Long>();
        for (int seq = 1; seq <= view.count(); seq++) {
            values.add(fact == Fact.FILE_STATUS ? view.internalDateSeconds(seq) : view.virtualSize(seq));
        }
        return values;
    }

    private static long unknown(Fact fact) {
        return fact == Fact.FILE_STATUS ? MessageTable.UNKNOWN_DATE : StoredMessage.UNKNOWN_SIZE;
    }

    private List<Long> expected(Fact fact) {
        return fact == Fact.FILE_STATUS ? expectedDates : expectedSizes;
    }

    private static long known(List<Long> values, Fact fact) {
        return values.stream().filter(value -> value != unknown(fact)).count();
    }

    /** The file accesses that looking up {@code fact} costs: a stat, and for a virtual size also a read. */
    private int accesses(Fact fact) {
        return fact == Fact.FILE_STATUS ? stats.get() : opens.get();
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    void theMailboxOpensWithoutLookingAtAFileAndLooksUpEachOnceWhenFirstNeeded(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        assertEquals(MESSAGES, view.count());
        assertEquals(0, opens.get() + stats.get(), "opening (the first SELECT) opens and stats no message file");
        assertEquals(MESSAGES, state.current().pendingSizes());
        assertEquals(0, known(values(view, fact), fact));

        view.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(MESSAGES, stats.get(), "each message stat'ed once");
        assertEquals(fact == Fact.VIRTUAL_SIZE ? MESSAGES : 0, opens.get(), "read once if its size is needed");
        assertEquals(expected(fact), values(view, fact));
        assertEquals(expectedDates, values(view, Fact.FILE_STATUS), "a stat tells the date in any case");
        if (fact == Fact.VIRTUAL_SIZE) {
            assertEquals(expectedSizes.stream().mapToLong(Long::longValue).sum(), state.current().totalVirtualSize());
            assertEquals(0, state.current().pendingSizes());
            state.measureSizes(state.current(), Cancellation.never());
        }
        view.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(MESSAGES, accesses(fact), "and never again");
        state.close();

        opens.set(0);
        stats.set(0);
        var reopened = open();
        var again = new MailboxView(reopened, false);
        assertEquals(fact == Fact.VIRTUAL_SIZE ? 0 : MESSAGES, reopened.current().pendingSizes(),
                "the summary knows before the records are read");
        assertEquals(expected(fact), values(again, fact), "kept in the index");
        again.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(0, opens.get() + stats.get(), "not looked up again after a restart");
        reopened.close();
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    void aCommandLooksUpOnlyTheMessagesItNames(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        int[] seqs = {3, 5, 8, 13, 21};
        view.inChunks(seqs, Set.of(fact), Cancellation.never(), (from, to) -> {
            for (int k = from; k < to; k++) {
                assertEquals(expected(fact).get(seqs[k] - 1), values(view, fact).get(seqs[k] - 1));
            }
        });
        assertEquals(seqs.length, accesses(fact));
        assertEquals(seqs.length, known(values(view, fact), fact));
        state.close();
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    @Timeout(60)
    void twoSessionsLookingUpAtOnceLookAtEachMessageOnce(Fact fact) throws Exception {
        var state = open();
        var start = new CountDownLatch(1);
        try (var sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = sessions.submit(() -> learnAll(state, start, fact));
            var b = sessions.submit(() -> learnAll(state, start, fact));
            start.countDown();
            assertEquals(expected(fact), a.get());
            assertEquals(expected(fact), b.get());
        }
        assertEquals(MESSAGES, accesses(fact));
        state.close();
    }

    private List<Long> learnAll(MailboxState state, CountDownLatch start, Fact fact) throws Exception {
        var view = new MailboxView(state, true);
        start.await();
        view.learnAll(Set.of(fact), Cancellation.never());
        return values(view, fact);
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    void aLookupThatFailsHalfwayKeepsWhatItFound(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        long failing = view.uid(FactFinder.BATCH + 7);
        store.beforeFileAccess(m -> {
            if (m.uid() == failing) {
                throw new IOException("disk error");
            }
        });
        assertThrows(IOException.class, () -> view.learnAll(Set.of(fact), Cancellation.never()));
        assertEquals(FactFinder.BATCH, known(values(view, fact), fact), "the first batch is kept");
        state.close();

        var reopened = open();
        var again = new MailboxView(reopened, false);
        assertEquals(expected(fact).subList(0, FactFinder.BATCH), values(again, fact).subList(0, FactFinder.BATCH));
        opens.set(0);
        stats.set(0);
        again.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(MESSAGES - FactFinder.BATCH, accesses(fact), "what was found is not looked up again");
        assertEquals(expected(fact), values(again, fact));
        reopened.close();
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    @Timeout(60)
    void anInterruptedLookupStopsAndKeepsWhatItFound(Fact fact) throws Exception {
        var state = open();
        var view = new MailboxView(state, false);
        long blocking = view.uid(FactFinder.BATCH + 1);
        var reached = new CountDownLatch(1);
        store.beforeFileAccess(m -> {
            if (m.uid() == blocking) {
                reached.countDown();
                try {
                    new CountDownLatch(1).await(); // a disk that hangs until interrupted
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted");
                }
            }
        });
        var failure = new Throwable[1];
        var session = Thread.ofVirtual().start(() -> {
            try {
                view.learnAll(Set.of(fact), Cancellation.never());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        session.interrupt();
        session.join();
        assertTrue(failure[0] instanceof InterruptedIOException, String.valueOf(failure[0]));
        assertTrue(accesses(fact) < 2 * FactFinder.BATCH, "stopped within the batch: " + accesses(fact));
        assertEquals(FactFinder.BATCH, known(values(view, fact), fact));
        state.close();
    }

    /**
     * A stat waits in the kernel without freeing a virtual thread's carrier (the JDK makes up only for
     * blocking reads), so lookups on virtual threads overlap no more than the machine has cores, and a
     * million cold stats run nearly one after the other (16 s for a first SEARCH SINCE). They run on
     * platform threads, as many at once as {@code index.fileLookupThreads} allows and never more.
     */
    @ParameterizedTest
    @EnumSource(Fact.class)
    @Timeout(60)
    void lookupsOverlapOnPlatformThreadsAsManyAtOnceAsAllowed(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        int allowed = IndexOptions.DEFAULT_FILE_LOOKUP_THREADS;
        var allThere = new CountDownLatch(allowed);
        var inFlight = new AtomicInteger();
        var most = new AtomicInteger();
        var onVirtualThreads = new AtomicInteger();
        store.beforeFileAccess(m -> {
            if (Thread.currentThread().isVirtual()) {
                onVirtualThreads.incrementAndGet();
            }
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                allThere.countDown();
                if (!allThere.await(30, TimeUnit.SECONDS)) { // the first ones wait until all run at once
                    throw new IOException("fewer than " + allowed + " lookups at once: " + most.get());
                }
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted");
            } finally {
                inFlight.decrementAndGet();
            }
        });
        view.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(MESSAGES, known(values(view, fact), fact));
        assertEquals(0, onVirtualThreads.get(), "file lookups on virtual threads");
        assertEquals(allowed, most.get(), "lookups at once");
        state.close();
    }

    /** A session kicked or hung up on stops looking at the next message, keeping the batches it finished. */
    @ParameterizedTest
    @EnumSource(Fact.class)
    void aCancelledLookupStopsAtTheNextMessageAndKeepsWhatItFound(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        int stopAt = FactFinder.BATCH + 100;
        var checks = new AtomicInteger();
        Cancellation kickedMidway = () -> {
            if (checks.incrementAndGet() > stopAt) {
                throw new Cancellation.Cancelled(false);
            }
        };
        assertThrows(Cancellation.Cancelled.class, () -> view.learnAll(Set.of(fact), kickedMidway));
        assertTrue(accesses(fact) <= stopAt, "no message looked at after the cancellation: " + accesses(fact));
        assertEquals(FactFinder.BATCH, known(values(view, fact), fact), "the finished batch is kept");
        state.close();
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    void aFileThatVanishesStaysUnknownWhileTheOthersAreFound(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        var gone = view.message(10);
        try (var files = Files.list(root.resolve("u/cur"))) {
            for (var file : files.filter(f -> f.getFileName().toString().startsWith(gone.key())).toList()) {
                Files.delete(file);
            }
        }
        view.learnAll(Set.of(fact), Cancellation.never());
        var values = values(view, fact);
        assertEquals(unknown(fact), values.get(9));
        values.set(9, expected(fact).get(9));
        assertEquals(expected(fact), values);
        state.close();
    }

    /**
     * Another program renames files (its flag letters) and delivers new ones after the mailbox opened:
     * the renamed files are found where they went, the new ones looked up once a refresh shows them.
     */
    @ParameterizedTest
    @EnumSource(Fact.class)
    void filesAnotherProgramRenamesOrDeliversMeanwhileAreFound(Fact fact) throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        var cur = root.resolve("u/cur");
        try (var files = Files.list(cur)) {
            for (var file : files.filter(f -> f.getFileName().toString().contains("M1")).toList()) {
                var name = file.getFileName().toString();
                Files.move(file, cur.resolve(name.substring(0, name.indexOf(':')) + ":2,FRS"));
            }
        }
        view.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(expected(fact), values(view, fact));

        var delivered = root.resolve("u/new/1800000000.M1P1.mda");
        Files.writeString(delivered, "Subject: late\n\nlate\n");
        Files.setLastModifiedTime(delivered, FileTime.from(Instant.ofEpochSecond(1_800_000_000L)));
        state.refresh(true);
        var again = new MailboxView(state, false);
        assertEquals(MESSAGES + 1, again.count());
        assertEquals(unknown(fact), values(again, fact).getLast(), "a delivery is looked up when needed too");
        again.learnAll(Set.of(fact), Cancellation.never());
        assertEquals(fact == Fact.FILE_STATUS ? 1_800_000_000L : 23L, values(again, fact).getLast()); // 20 bytes, 3 LFs
        state.close();
    }

    /** A link or a directory put in place of a message file is not looked into: it stays unknown, as a file gone. */
    @Test
    void somethingOtherThanAFileInPlaceOfAMessageIsNotLookedInto() throws IOException {
        var state = open();
        var view = new MailboxView(state, false);
        var replaced = view.message(10);
        try (var files = Files.list(root.resolve("u/cur"))) {
            var file = files.filter(f -> f.getFileName().toString().startsWith(replaced.key())).findFirst().orElseThrow();
            Files.delete(file);
            Files.createSymbolicLink(file, root.resolve("u/cur").resolve(view.message(11).key() + ":2,"));
        }
        view.learnAll(Set.of(Fact.VIRTUAL_SIZE), Cancellation.never());
        assertEquals(StoredMessage.UNKNOWN_SIZE, view.virtualSize(10));
        assertEquals(MessageTable.UNKNOWN_DATE, view.internalDateSeconds(10));
        assertEquals(MESSAGES - 1, opens.get(), "the link was not opened");
        state.close();
    }

    @ParameterizedTest
    @EnumSource(Fact.class)
    void aTornLogKeepsTheFactsOfItsWholeTransactions(Fact fact) throws IOException {
        var state = open();
        new MailboxView(state, false).learnAll(Set.of(fact), Cancellation.never());
        state.close();
        var log = root.resolve("u").resolve(IndexFormat.LOG_FILE);
        try (var channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5); // the last batch's commit, torn
        }
        long rebuilds = MailboxIndex.rebuilds();
        opens.set(0);
        stats.set(0);
        var reopened = open();
        var values = values(new MailboxView(reopened, false), fact);
        assertEquals(2L * FactFinder.BATCH, known(values, fact));
        assertEquals(expected(fact).subList(0, 2 * FactFinder.BATCH), values.subList(0, 2 * FactFinder.BATCH));
        assertEquals(rebuilds, MailboxIndex.rebuilds(), "no rebuild");
        assertEquals(0, opens.get() + stats.get());
        reopened.close();
    }

    /** Appends, flag changes and expunges by another session while the facts are looked up. */
    @ParameterizedTest
    @EnumSource(Fact.class)
    @Timeout(120)
    void otherSessionsChangesDuringALookupLeaveAConsistentIndex(Fact fact) throws Exception {
        var state = open();
        var looking = new MailboxView(state, true);
        var random = new Random(77);
        try (var sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            var found = sessions.submit(() -> {
                looking.learnAll(Set.of(fact), Cancellation.never());
                return null;
            });
            while (!found.isDone()) {
                var snapshot = state.current();
                var m = snapshot.message(random.nextInt(snapshot.count()));
                switch (random.nextInt(3)) {
                    case 0 -> state.append(new ByteArrayInputStream("Subject: new\n\nhi\n".getBytes(StandardCharsets.US_ASCII)),
                            Set.of(), Set.of(), Instant.ofEpochSecond(1_800_000_000L));
                    case 1 -> state.setFlags(List.of(new MailboxState.FlagChange(m, Set.of(SystemFlag.FLAGGED), Set.of())));
                    default -> state.expunge(List.of(m));
                }
            }
            found.get();
        }
        var values = values(new MailboxView(state, true), fact);
        var summary = state.current().summary();
        state.close();

        long rebuilds = MailboxIndex.rebuilds();
        var reopened = open();
        assertEquals(summary, reopened.current().summary(), "the log's last commit");
        var view = new MailboxView(reopened, true);
        assertEquals(values, values(view, fact), "the same facts after a restart");
        assertEquals(summary, TableSummary.of(reopened.current().table()), "records and log agree");
        assertEquals(rebuilds, MailboxIndex.rebuilds(), "no damage found");
        reopened.close();
    }
}
