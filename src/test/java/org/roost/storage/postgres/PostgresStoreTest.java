package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.SpecialUse;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.KeptAnnotations;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.ScannedModseqs;
import org.roost.testing.TestServer;

/**
 * The driver against a real PostgreSQL and a real S3 API (s3proxy): the SPI's promises, bodies stored once per
 * content, UIDs race-free between two drivers on one database (two replicas), and a collector that takes only
 * bodies no message refers to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class PostgresStoreTest {
    private static final Instant DATE = Instant.parse("2026-01-02T03:04:05Z");
    @TempDir
    Path dir;
    private MailDatabaseServers servers;
    private Map<String, String> environment;
    private final List<PostgresDriver> drivers = new ArrayList<>();
    private int users;

    @BeforeAll
    void start() throws IOException {
        servers = MailDatabaseServers.shared();
        environment = servers.environment();
    }

    @AfterAll
    void stop() {
        drivers.forEach(PostgresDriver::close);
    }

    /** A driver on this class's database, as one replica would open it. */
    private PostgresDriver driver() throws IOException {
        var config = TestServer.config(dir.resolve("replica" + drivers.size()), environment);
        var driver = PostgresDriver.open(MailLocation.parse("postgres:%u"), config.mail(), config.data());
        drivers.add(driver);
        return driver;
    }

    private MailStore freshStore(PostgresDriver driver) throws IOException {
        return driver.open(driver.locate("user" + users++));
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(MailboxStore mailbox, StoredMessage message) throws IOException {
        try (var in = mailbox.open(message)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void appendScanAndReadBack() throws Exception {
        var store = freshStore(driver());
        var inbox = store.mailbox("inbox");
        var text = "Subject: one\nLF only\r\nand CRLF\n";
        var appended = inbox.append(bytes(text), Set.of(SystemFlag.SEEN), Set.of("$Label1"), DATE);
        assertEquals(1, appended.uid());
        assertEquals(text.length(), appended.physicalSize());
        assertEquals(text.length() + 2, appended.virtualSize(), "two bare LFs count as CRLF");
        var scanned = store.mailbox("INBOX").scan();
        assertEquals(List.of(appended), scanned);
        assertEquals(text, read(inbox, scanned.getFirst()));
        assertEquals(2, store.mailbox("INBOX").nextUid());
    }

    @Test
    void flagsExpungeAndTheChangeToken() throws Exception {
        var inbox = freshStore(driver()).mailbox("INBOX");
        var first = inbox.append(bytes("a\r\n"), Set.of(), Set.of(), DATE);
        var second = inbox.append(bytes("b\r\n"), Set.of(), Set.of(), DATE);
        var before = inbox.changeToken();
        var flagged = inbox.setFlags(first, Set.of(SystemFlag.FLAGGED, SystemFlag.DELETED), Set.of("work"));
        assertFalse(before.sameStamps(inbox.changeToken()), "a flag change is a change");
        assertEquals(Set.of("work"), flagged.keywords());
        assertThrows(InvalidKeywordException.class, () -> inbox.setFlags(first, Set.of(), Set.of("bad keyword")));
        inbox.expunge(List.of(flagged));
        assertEquals(List.of(second.uid()), inbox.scan().stream().map(StoredMessage::uid).toList());
        assertThrows(MessageNotFoundException.class, () -> inbox.open(first));
        assertThrows(MessageNotFoundException.class, () -> inbox.setFlags(first, Set.of(), Set.of()));
        var settled = inbox.changeToken();
        assertTrue(settled.sameStamps(inbox.changeToken()), "nothing changed, nothing to scan");
        var third = inbox.append(bytes("c\r\n"), Set.of(), Set.of(), DATE);
        assertEquals(3, third.uid(), "an expunged UID is never given again");
    }

    @Test
    void oneBodyForManyRecipientsAndCopies() throws Exception {
        var driver = driver();
        var text = "Subject: to many\r\n\r\nthe same bytes " + System.nanoTime() + "\r\n";
        var stores = List.of(freshStore(driver), freshStore(driver), freshStore(driver));
        for (var store : stores) {
            store.mailbox("INBOX").append(bytes(text), Set.of(), Set.of(), DATE);
        }
        var inbox = stores.getFirst().mailbox("INBOX");
        stores.getFirst().create("Archive/2026");
        var archive = stores.getFirst().mailbox("Archive/2026");
        var copies = inbox.copyTo(archive, inbox.scan());
        assertEquals(1, copies.size());
        assertEquals(text, read(archive, copies.getFirst()));
        assertEquals(1, objectsHolding(text), "three deliveries and a copy share one object");
    }

    /** How many objects in the bucket hold exactly {@code text}. */
    private long objectsHolding(String text) throws IOException {
        try (Stream<Path> files = Files.walk(servers.s3().directory().resolve(MailDatabaseServers.BUCKET))) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1).equals(text);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void mailboxesSubscriptionsAndSpecialUses() throws Exception {
        var store = freshStore(driver());
        store.create("Work/Projects");
        assertThrows(MailboxExistsException.class, () -> store.create("Work/Projects"));
        assertThrows(InvalidMailboxNameException.class, () -> store.create("a//b"));
        assertThrows(InvalidMailboxNameException.class, () -> store.create("bad\u0001name"));
        assertEquals(new TreeSet<>(List.of(new MailboxInfo("INBOX", true, false).toString(),
                new MailboxInfo("Work", false, true).toString(), new MailboxInfo("Work/Projects", true, false).toString())),
                new TreeSet<>(store.list().stream().map(MailboxInfo::toString).toList()));
        store.setSpecialUses("Work/Projects", Set.of(SpecialUse.ARCHIVE));
        store.subscribe("Work/Projects");
        store.mailbox("Work/Projects").append(bytes("x\r\n"), Set.of(), Set.of(), DATE);
        long validity = store.mailbox("Work/Projects").uidValidity();
        store.rename("Work", "Play");
        assertFalse(store.exists("Work/Projects"));
        var renamed = store.mailbox("Play/Projects");
        assertEquals(validity, renamed.uidValidity(), "a rename keeps UIDVALIDITY");
        assertEquals(1, renamed.scan().size());
        assertEquals(Map.of("Play/Projects", Set.of(SpecialUse.ARCHIVE)), store.specialUses());
        assertEquals(Set.of("Work/Projects"), store.subscriptions(), "subscriptions are names, kept as given");
        store.delete("Play/Projects");
        assertThrows(MailboxNotFoundException.class, () -> store.mailbox("Play/Projects"));
        assertEquals(Map.of(), store.specialUses());
        store.create("Play/Projects");
        assertTrue(store.mailbox("Play/Projects").uidValidity() > validity, "a new mailbox, a new UIDVALIDITY");
    }

    @Test
    void annotationsAreSharedByReplicasAndTheirUpdatesFollowEachOther() throws Exception {
        var one = driver();
        var two = driver();
        var user = "user" + users++;
        var here = one.open(one.locate(user));
        var there = two.open(two.locate(user)).keptAnnotations();
        here.create("Work");
        here.keptAnnotations().update("Work", entries -> entries.put("/private/comment", bytes("mine").readAllBytes()));
        here.keptAnnotations().update(KeptAnnotations.SERVER, entries -> entries.put("/shared/admin",
                bytes("mailto:a@b").readAllBytes()));
        assertEquals("mine", new String(there.read("Work").get("/private/comment"), StandardCharsets.UTF_8));
        assertEquals(Set.of("/shared/admin"), there.read(KeptAnnotations.SERVER).keySet());
        assertThrows(MailboxNotFoundException.class, () -> there.read("Nowhere"));

        // Two replicas adding entries at once under a bound of 20 checked in the edit: never more than 20.
        var turns = new AtomicInteger();
        Callable<Integer> adding = () -> {
            var annotations = (turns.getAndIncrement() == 0 ? one : two).open(one.locate(user)).keptAnnotations();
            int added = 0;
            for (int i = 0; i < 30; i++) {
                var name = "/private/n" + i + "-" + Thread.currentThread().threadId();
                if (annotations.update("Work", entries -> {
                    if (entries.size() >= 20) {
                        return false;
                    }
                    entries.put(name, new byte[] {1});
                    return true;
                })) {
                    added++;
                }
            }
            return added;
        };
        try (var pool = Executors.newFixedThreadPool(2)) {
            var a = pool.submit(adding);
            var b = pool.submit(adding);
            assertEquals(19, a.get() + b.get(), "one entry was there: 19 added in all");
        }
        assertEquals(20, there.read("Work").size());
        here.delete("Work");
        here.create("Work");
        assertEquals(Map.of(), there.read("Work"), "a new mailbox of the name starts bare");
    }

    @Test
    void renamingInboxMovesItsMessagesAndKeepsItsUids() throws Exception {
        var store = freshStore(driver());
        var inbox = store.mailbox("INBOX");
        inbox.append(bytes("1\r\n"), Set.of(), Set.of(), DATE);
        inbox.append(bytes("2\r\n"), Set.of(), Set.of(), DATE);
        store.rename("INBOX", "Old");
        assertEquals(List.of(1L, 2L), store.mailbox("Old").scan().stream().map(StoredMessage::uid).toList());
        assertEquals(List.of(), store.mailbox("INBOX").scan());
        assertEquals(3, store.mailbox("INBOX").append(bytes("3\r\n"), Set.of(), Set.of(), DATE).uid());
    }

    /** Two replicas append to one mailbox at once: every UID once, ascending, none lost. */
    @Test
    void uidsAreRaceFreeAcrossReplicas() throws Exception {
        var one = driver();
        var two = driver();
        var user = "racer" + users++;
        var inboxes = List.of(one.open(one.locate(user)).mailbox("INBOX"), two.open(two.locate(user)).mailbox("INBOX"));
        int each = 40;
        var tasks = new ArrayList<Callable<List<Long>>>();
        for (int t = 0; t < 4; t++) {
            var inbox = inboxes.get(t % 2);
            int task = t;
            tasks.add(() -> {
                var uids = new ArrayList<Long>();
                for (int i = 0; i < each; i++) {
                    uids.add(inbox.append(bytes("task " + task + " message " + i + "\r\n"), Set.of(), Set.of(), DATE).uid());
                }
                return uids;
            });
        }
        var all = new TreeSet<Long>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (var future : pool.invokeAll(tasks)) {
                all.addAll(future.get());
            }
        }
        assertEquals(4 * each, all.size(), "no UID handed out twice");
        assertEquals(List.copyOf(all), inboxes.getFirst().scan().stream().map(StoredMessage::uid).toList());
    }

    /** A write's own stamps are the tokens around it: exactly one MODSEQ apart, with UIDNEXT moved by the appends. */
    @Test
    void writesStampTheirChangeTokens() throws Exception {
        var inbox = freshStore(driver()).mailbox("INBOX");
        assertTrue(inbox.stampsWrites());
        var before = inbox.changeToken();
        inbox.append(bytes("stamped\r\n"), Set.of(), Set.of(), DATE);
        var stamps = inbox.lastWrite();
        assertTrue(before.sameStamps(stamps.before()), stamps + " after " + before);
        assertTrue(inbox.changeToken().sameStamps(stamps.after()));
        assertEquals(before.deliveries() + 1, stamps.after().deliveries());
        var message = inbox.scan().getFirst();
        inbox.setFlags(message, Set.of(SystemFlag.SEEN), Set.of());
        assertTrue(stamps.after().sameStamps(inbox.lastWrite().before()), "nothing else happened in between");
        assertEquals(stamps.after().contents() + 1, inbox.lastWrite().after().contents());
        inbox.expunge(List.of(message));
        assertTrue(inbox.changeToken().sameStamps(inbox.lastWrite().after()));
    }

    /**
     * The database allocates the MODSEQs: each write's, the scan's per message and the mailbox's highest agree, and
     * the expunged UIDs after a MODSEQ come back as runs, gaps kept, however many expunges made them.
     */
    @Test
    void theDatabaseAllocatesModseqsAndRemembersExpunges() throws Exception {
        var inbox = freshStore(driver()).mailbox("INBOX");
        assertTrue(inbox.allocatesModseqs());
        var messages = new ArrayList<StoredMessage>();
        var appended = new ArrayList<Long>();
        for (int i = 0; i < 8; i++) {
            messages.add(inbox.append(bytes("m" + i + "\r\n"), Set.of(), Set.of(), DATE));
            appended.add(inbox.lastWrite().modseq());
        }
        inbox.setFlags(messages.get(0), Set.of(SystemFlag.SEEN), Set.of());
        long flagged = inbox.lastWrite().modseq();
        assertEquals(appended.getLast() + 1, flagged);
        inbox.expunge(List.of(messages.get(1), messages.get(2), messages.get(4)));
        long firstExpunge = inbox.lastWrite().modseq();
        inbox.expunge(List.of(messages.get(7)));
        inbox.expunge(List.of(messages.get(7))); // already gone: recorded once, at its first expunge
        long written = inbox.lastWrite().modseq();
        var scanned = ScannedModseqs.of(inbox);
        assertEquals(Map.of(1L, flagged, 4L, appended.get(3), 6L, appended.get(5), 7L, appended.get(6)), scanned);
        assertEquals(written, inbox.highestModseq());
        assertEquals("2:3,5,8", inbox.expungedAfter(flagged).toString());
        assertEquals("8", inbox.expungedAfter(firstExpunge).toString());
        assertTrue(inbox.expungedAfter(written).isEmpty());
    }

    /**
     * The trimmed record of expunges keeps the newest, whole MODSEQs at a time, and says it no longer reaches back
     * past the cut (QRESYNC then answers with the superset); a mailbox at or below the bound is left alone.
     */
    @Test
    void trimmingTheExpungedKeepsTheNewestAndSaysWhereItIsExact() throws Exception {
        var driver = driver();
        var store = freshStore(driver);
        var inbox = store.mailbox("INBOX");
        store.create("Small");
        var other = store.mailbox("Small");
        var messages = new ArrayList<StoredMessage>();
        for (int i = 0; i < 30; i++) {
            messages.add(inbox.append(bytes("m" + i + "\r\n"), Set.of(), Set.of(), DATE));
        }
        var kept = other.append(bytes("kept\r\n"), Set.of(), Set.of(), DATE);
        other.expunge(List.of(kept));
        long start = inbox.changeToken().contents();
        inbox.expunge(messages.subList(0, 10)); // one MODSEQ for ten UIDs
        long first = inbox.lastWrite().modseq();
        for (int i = 10; i < 22; i++) {
            inbox.expunge(List.of(messages.get(i))); // one MODSEQ each
        }
        long last = inbox.lastWrite().modseq();
        assertEquals(1, driver.trimExpunged(10), "only the mailbox above the bound");
        assertEquals(null, inbox.expungedAfter(start), "trimmed past it");
        assertEquals(null, inbox.expungedAfter(first), "the MODSEQs of UIDs 11 and 12 are gone too");
        assertEquals("13:22", inbox.expungedAfter(first + 2).toString(), "exact from the cut on");
        assertTrue(inbox.expungedAfter(last).isEmpty());
        assertEquals("1", other.expungedAfter(0).toString(), "the other mailbox kept its one expunge");
        assertEquals(0, driver.trimExpunged(10), "at the bound: nothing more to trim");
    }

    /** Another replica's commit wakes this replica's watcher of the mailbox; its own watch ends when stopped. */
    @Test
    void anotherReplicasCommitWakesTheWatchers() throws Exception {
        var one = driver();
        var two = driver();
        var user = "watched" + users++;
        var watched = one.open(one.locate(user)).mailbox("INBOX");
        var wakes = new Semaphore(0);
        var stop = watched.watchChanges(wakes::release);
        long start = System.nanoTime();
        two.open(two.locate(user)).mailbox("INBOX").append(bytes("from two\r\n"), Set.of(), Set.of(), DATE);
        assertTrue(wakes.tryAcquire(30, TimeUnit.SECONDS), "woken by the other replica's APPEND");
        System.out.printf("change feed: woken %.1f ms after the APPEND began%n", (System.nanoTime() - start) / 1e6);
        stop.run();
        wakes.drainPermits();
        two.open(two.locate(user)).mailbox("INBOX").append(bytes("unwatched\r\n"), Set.of(), Set.of(), DATE);
        var other = one.open(one.locate(user));
        other.create("Other");
        var otherWakes = new Semaphore(0);
        var stopOther = other.mailbox("Other").watchChanges(otherWakes::release);
        two.open(two.locate(user)).mailbox("Other").append(bytes("there\r\n"), Set.of(), Set.of(), DATE);
        assertTrue(otherWakes.tryAcquire(30, TimeUnit.SECONDS));
        stopOther.run();
        assertEquals(0, wakes.availablePermits(), "a stopped watch hears nothing");
    }

    /** Notices sent while the feed's connection is down are lost: after it reconnects, every watcher looks once. */
    @Test
    void aLostFeedConnectionWakesEveryWatcherOnceBack() throws Exception {
        var driver = driver();
        var inbox = freshStore(driver).mailbox("INBOX");
        var wakes = new Semaphore(0);
        var stop = inbox.watchChanges(wakes::release);
        awaitFeedConnected(driver); // terminating before it connects would leave nothing to reconnect
        var url = environment.get("ROOST_MAIL_POSTGRES_URL");
        var database = url.substring(url.lastIndexOf('/') + 1);
        try {
            servers.postgres().execute(database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'roost-changes' AND datname = current_database()");
            assertTrue(wakes.tryAcquire(60, TimeUnit.SECONDS), "woken to catch up after the reconnect");
        } finally {
            stop.run();
        }
    }

    private static void awaitFeedConnected(PostgresDriver driver) throws InterruptedException {
        for (int tries = 0; !driver.changeFeedConnected(); tries++) {
            assertTrue(tries < 600, "the change feed connects");
            Thread.sleep(100);
        }
    }

    /** Bodies of expunged messages and of APPENDs that never committed go; referenced ones stay. */
    @Test
    void theCollectorTakesOnlyUnreferencedBodies() throws Exception {
        var driver = driver();
        var store = freshStore(driver);
        var inbox = store.mailbox("INBOX");
        var kept = "kept " + System.nanoTime() + "\r\n";
        var expunged = "expunged " + System.nanoTime() + "\r\n";
        var orphan = "never committed " + System.nanoTime() + "\r\n";
        inbox.append(bytes(kept), Set.of(), Set.of(), DATE);
        var gone = inbox.append(bytes(expunged), Set.of(), Set.of(), DATE);
        store.create("Copy");
        inbox.copyTo(store.mailbox("Copy"), List.of(gone));
        inbox.expunge(List.of(gone));
        inbox.discard(inbox.prepare(bytes(orphan), DATE));
        assertEquals(1, objectsHolding(orphan));

        driver.collectBodies(Duration.ZERO);
        assertEquals(1, objectsHolding(kept));
        assertEquals(1, objectsHolding(expunged), "the copy still refers to it");
        assertEquals(0, objectsHolding(orphan));
        assertEquals(expunged, read(store.mailbox("Copy"), store.mailbox("Copy").scan().getFirst()));

        store.delete("Copy");
        driver.collectBodies(Duration.ofHours(1));
        assertEquals(1, objectsHolding(expunged), "within the grace it stays");
        driver.collectBodies(Duration.ZERO);
        assertEquals(0, objectsHolding(expunged));
        assertEquals(kept, read(inbox, inbox.scan().getFirst()));

        // stored again after its collection: the upload finds the row gone and stores the object anew
        var again = inbox.append(bytes(expunged), Set.of(), Set.of(), DATE);
        assertEquals(expunged, read(inbox, again));
    }

    @Test
    void aCopyOfAMessageExpungedMeanwhileCopiesNothing() throws Exception {
        var store = freshStore(driver());
        var inbox = store.mailbox("INBOX");
        var first = inbox.append(bytes("first\r\n"), Set.of(), Set.of(), DATE);
        var second = inbox.append(bytes("second\r\n"), Set.of(), Set.of(), DATE);
        store.create("Target");
        var target = store.mailbox("Target");
        inbox.expunge(List.of(second));
        assertThrows(MessageNotFoundException.class, () -> inbox.copyTo(target, List.of(first, second)));
        assertEquals(List.of(), target.scan(), "all or none");
    }

    @Test
    void quotaAccountAndOverride() throws Exception {
        var store = freshStore(driver());
        var quota = store.quota();
        var limit = new org.roost.mail.QuotaLimit(0, 0);
        assertEquals(new org.roost.mail.QuotaUsage(10, 1), quota.record(limit, 10, 1));
        store.mailbox("INBOX").append(bytes("12345\r\n"), Set.of(), Set.of(), DATE);
        assertEquals(new org.roost.mail.QuotaUsage(7, 1), quota.recalculate(limit));
        quota.override(java.util.Optional.of(new org.roost.mail.QuotaLimit(1000, 10)));
        assertEquals(java.util.Optional.of(new org.roost.mail.QuotaLimit(1000, 10)), quota.override());
        quota.override(java.util.Optional.empty());
        assertEquals(java.util.Optional.empty(), quota.override());
    }

    @Test
    void bytesRoundTripExactly() throws Exception {
        var inbox = freshStore(driver()).mailbox("INBOX");
        var random = new java.util.Random(22);
        for (int i = 0; i < 20; i++) {
            var data = new byte[random.nextInt(200_000)];
            random.nextBytes(data);
            var message = inbox.append(new ByteArrayInputStream(data), Set.of(), Set.of(), DATE);
            try (var in = inbox.open(message)) {
                assertArrayEquals(data, in.readAllBytes());
            }
            assertEquals(data.length, message.physicalSize());
        }
    }
}
