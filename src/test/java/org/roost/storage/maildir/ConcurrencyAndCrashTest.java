package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailboxStore;

/**
 * Several stores opened on one Maildir behave like several processes: they share nothing but
 * the files and Dovecot's lock files. Concurrent appends, flag changes, copies and scans must
 * leave unique UIDs and a valid uid list; leftovers of a crash must be recovered.
 */
class ConcurrencyAndCrashTest {

    private static final int PROCESSES = 4;
    private static final int THREADS_PER_PROCESS = 4;
    private static final int APPENDS_PER_THREAD = 15;

    @TempDir
    Path root;

    private static ByteArrayInputStream message(int n) {
        return new ByteArrayInputStream(("Subject: " + n + "\r\n\r\nbody " + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void concurrentAppendsFromSeveralStoresGetUniqueUidsAndAValidUidList() throws Exception {
        var user = root.resolve("user");
        var options = MaildirOptions.defaults().withFsync(false);
        new MaildirDriver(options).open(user).create("Archive");
        var uids = ConcurrentHashMap.<Long>newKeySet();
        var archived = ConcurrentHashMap.<Long>newKeySet();
        var expunged = ConcurrentHashMap.<Long>newKeySet();
        var tasks = new ArrayList<Callable<Integer>>();
        for (int p = 0; p < PROCESSES; p++) {
            var store = new MaildirDriver(options).open(user);
            var inbox = store.mailbox("INBOX");
            var archive = store.mailbox("Archive");
            for (int t = 0; t < THREADS_PER_PROCESS; t++) {
                int seed = p * 100 + t;
                tasks.add(() -> {
                    var random = new Random(seed);
                    for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                        var stored = inbox.append(message(seed * 1000 + i), Set.of(), Set.of("k" + random.nextInt(4)), Instant.now());
                        assertTrue(uids.add(stored.uid()), "duplicate UID " + stored.uid());
                        switch (random.nextInt(5)) {
                            case 0 -> inbox.setFlags(stored, Set.of(SystemFlag.SEEN), Set.of("k" + random.nextInt(4)));
                            case 1 -> archived.add(archive.append(message(seed), Set.of(SystemFlag.DRAFT), Set.of(), Instant.now()).uid());
                            case 2 -> inbox.scan();
                            case 3 -> {
                                inbox.expunge(List.of(stored));   // a full rewrite of the uid list
                                expunged.add(stored.uid());
                            }
                            default -> inbox.copyTo(archive, List.of(stored)).forEach(c -> assertTrue(archived.add(c.uid())));
                        }
                    }
                    return APPENDS_PER_THREAD;
                });
            }
        }
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> future : executor.invokeAll(tasks)) {
                assertEquals(APPENDS_PER_THREAD, future.get());
            }
        }
        int total = PROCESSES * THREADS_PER_PROCESS * APPENDS_PER_THREAD;
        assertEquals(total, uids.size());

        var fresh = new MaildirDriver(options).open(user);
        assertValid(user, fresh.mailbox("INBOX"), total - expunged.size());
        assertValid(user.resolve(".Archive"), fresh.mailbox("Archive"), archived.size());
        var kept = new HashSet<>(uids);
        kept.removeAll(expunged);
        assertEquals(kept, Set.copyOf(fresh.mailbox("INBOX").scan().stream().map(StoredMessage::uid).toList()));
    }

    private static void assertValid(Path dir, MailboxStore mailbox, int expectedCount) throws IOException {
        var messages = mailbox.scan();
        assertEquals(expectedCount, messages.size());
        var text = Files.readString(dir.resolve("dovecot-uidlist"));
        var list = UidList.parse(text, "test");
        assertFalse(list.damaged(), text);
        assertEquals(expectedCount, list.entries().size());
        assertTrue(list.nextUid() > messages.get(messages.size() - 1).uid());
        try (Stream<Path> cur = Files.list(dir.resolve("cur"))) {
            assertEquals(expectedCount, cur.count());
        }
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertEquals(0, tmp.count());
        }
        assertFalse(Files.exists(dir.resolve("dovecot-uidlist.lock")));
        assertFalse(Files.exists(dir.resolve("dovecot-keywords.lock")));
        var keys = new HashSet<String>();
        messages.forEach(m -> assertTrue(keys.add(m.key())));
    }

    @Test
    void aLiveLockHeldByAnotherProcessMakesWritersWaitThenGiveUp() throws IOException {
        var user = root.resolve("user");
        var options = new MaildirOptions(false, Duration.ofMillis(200), Duration.ofMinutes(2));
        var inbox = new MaildirDriver(options).open(user).mailbox("INBOX");
        var lock = user.resolve("dovecot-uidlist.lock");
        Files.writeString(lock, "");   // fresh: a live Dovecot is rewriting the list
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.roost.mail.StorageException.class,
                () -> inbox.append(message(1), Set.of(), Set.of(), Instant.now()));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        try (Stream<Path> tmp = Files.list(user.resolve("tmp"))) {
            assertEquals(0, tmp.count(), "the written message is cleaned up");
        }
        Files.delete(lock);
        assertEquals(1, inbox.append(message(2), Set.of(), Set.of(), Instant.now()).uid());
    }

    @Test
    void crashLeftoversAreRecovered() throws IOException {
        var user = root.resolve("user");
        var options = new MaildirOptions(false, Duration.ofSeconds(5), Duration.ofMinutes(2));
        var inbox = new MaildirDriver(options).open(user).mailbox("INBOX");
        var first = inbox.append(message(1), Set.of(), Set.of(), Instant.now());
        // A crash while holding the uid list lock, long ago: the lock is stale and gets broken.
        var lock = user.resolve("dovecot-uidlist.lock");
        Files.writeString(lock, "half-written");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        // A crash after the file reached cur/ but before the uid list was written.
        Files.write(user.resolve("cur/1700000000.M1P99.crashed,S=9,W=9:2,S"), "123456789".getBytes(StandardCharsets.US_ASCII));
        // A crash half-way through writing into tmp/.
        Files.writeString(user.resolve("tmp/1700000000.M2P99.partial"), "Subject: par");

        var messages = new MaildirDriver(options).open(user).mailbox("INBOX").scan();
        assertEquals(List.of(first.uid(), first.uid() + 1), messages.stream().map(StoredMessage::uid).toList());
        assertEquals(Set.of(SystemFlag.SEEN), messages.get(1).flags());
        assertFalse(Files.exists(lock));
        assertEquals(2, messages.size(), "nothing half-written is visible");
    }
}
