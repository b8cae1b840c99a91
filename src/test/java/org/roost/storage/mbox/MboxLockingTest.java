package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.MailboxInUseException;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;
import org.roost.testing.ForeignMboxLock;

/** Locks other programs hold: Roost waits for them, gives up with "in use", and breaks stale dot-locks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MboxLockingTest {
    @TempDir
    Path dir;

    private MailboxStore inbox(List<LockMethod> write) throws IOException {
        var options = new MboxOptions(false, List.of(LockMethod.FCNTL), write, Duration.ofMillis(700),
                Duration.ofMinutes(2), ZoneOffset.UTC);
        var store = new MboxDriver(MailLocation.parse("mbox:" + dir + "/%u"), options).open("alice");
        opened.add(store);
        return store.mailbox("INBOX");
    }

    private final List<MailStore> opened = new ArrayList<>();

    /** What waits for a delay (a time stamp moved on after the second of a change) is done before the files go. */
    @AfterEach
    void flushOpened() throws IOException {
        for (var store : opened) {
            store.flush();
        }
    }

    private Path file() {
        return dir.resolve("alice/inbox");
    }

    private static void append(MailboxStore box) throws IOException {
        box.append(new ByteArrayInputStream("Subject: x\r\n\r\nbody\r\n".getBytes()), Set.of(), Set.of(), Instant.now());
    }

    /** Another program holds {@code method}; the test's writes wait for it and give up; once it lets go they work. */
    private void heldBy(String method, List<LockMethod> write) throws Exception {
        var inbox = inbox(write);
        try (var held = ForeignMboxLock.hold(method, file())) {
            long start = System.nanoTime();
            var e = assertThrows(MailboxInUseException.class, () -> append(inbox));
            assertTrue(e.getMessage().contains(method), e.getMessage());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(600).toNanos(), "it waited for the lock");
        }
        append(inbox);
        assertEquals(1, inbox.scan().size());
    }

    @Test
    void anFcntlLockOfAnotherProgram() throws Exception {
        heldBy("fcntl", List.of(LockMethod.DOTLOCK, LockMethod.FCNTL));
    }

    @Test
    void aDotLockOfAnotherProgram() throws Exception {
        heldBy("dotlock", List.of(LockMethod.DOTLOCK, LockMethod.FCNTL));
    }

    @Test
    void aFlockOfAnotherProgram() throws Exception {
        heldBy("flock", List.of(LockMethod.DOTLOCK, LockMethod.FLOCK));
    }

    @Test
    void aDotLockOfAProcessThatIsGoneIsBroken() throws IOException {
        var inbox = inbox(List.of(LockMethod.DOTLOCK));
        var lock = DotLockFile.lockFileOf(file());
        Files.writeString(lock, "999999999\n"); // no such process
        var itsTemporary = lock.resolveSibling(".inbox.lock.999999999"); // killed before removing it
        Files.writeString(itsTemporary, "999999999\n");
        append(inbox);
        assertTrue(Files.notExists(lock));
        assertTrue(Files.notExists(itsTemporary));
    }

    /**
     * Whoever finds the dot-lock can tell whose it is: it never exists without its owner's process id. One
     * created empty and written afterwards, by a process killed between the two, stays until the stale time
     * (InPlaceFlagsKillTest's next changer timed out on it).
     */
    @Test
    void aDotLockIsNeverSeenWithoutItsOwner() throws Exception {
        var mbox = dir.resolve("box");
        var lock = DotLockFile.lockFileOf(mbox);
        var owner = ProcessHandle.current().pid() + "\n";
        var cycles = new AtomicInteger();
        var stop = new AtomicBoolean();
        var locker = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try (var held = DotLockFile.tryAcquire(mbox, Duration.ofMinutes(2), false)) {
                    assertTrue(held != null, "nobody else takes it");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                cycles.incrementAndGet();
            }
        });
        var seen = new HashMap<String, Integer>();
        int found = 0;
        try {
            while (locker.isAlive() && (found < 500 || cycles.get() < 5000)) {
                try {
                    seen.merge(Files.readString(lock), 1, Integer::sum);
                    found++;
                } catch (NoSuchFileException free) {
                    // between two holders
                }
            }
        } finally {
            stop.set(true);
            locker.join();
        }
        assertEquals(Map.of(owner, found), seen, "what the lock said each time it was found");
        try (var names = Files.list(dir)) {
            assertEquals(List.of(), names.toList(), "nothing is left behind");
        }
    }

    @Test
    void aDotLockUntouchedForTheStaleTimeIsBroken() throws IOException {
        var inbox = inbox(List.of(LockMethod.DOTLOCK));
        var lock = DotLockFile.lockFileOf(file());
        Files.writeString(lock, ""); // procmail's: no pid to check
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(3))));
        append(inbox);
        assertTrue(Files.notExists(lock));
    }

    /**
     * A large mbox no server numbered: the scan answers with UIDs at once and writes them into the file in
     * the background; while another program holds the lock (so that rewrite cannot happen) the pending
     * list keeps them, and a restart gives the same UIDs; once the lock goes they are in the file.
     */
    @Test
    void uidsOfALargeForeignMboxSurviveARestartBeforeTheyAreWritten() throws Exception {
        var spool = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            spool.append("From mta@example.com Mon Jan  5 10:00:00 2026\nSubject: ").append(i).append("\n\n")
                    .append("x".repeat(5000)).append("\n\n");
        }
        Files.createDirectories(file().getParent());
        Files.writeString(file(), spool);
        assertTrue(Files.size(file()) > MboxMailbox.SMALL_REWRITE);
        List<Long> uids;
        long validity;
        try (var held = ForeignMboxLock.hold("dotlock", file())) {
            var inbox = inbox(List.of(LockMethod.DOTLOCK, LockMethod.FCNTL));
            uids = inbox.scan().stream().map(org.roost.mail.StoredMessage::uid).toList();
            validity = inbox.uidValidity();
            assertEquals(300, uids.size());
            assertTrue(Files.exists(dir.resolve("alice/.imap/INBOX/" + PendingUids.FILE)));
            var restarted = inbox(List.of(LockMethod.DOTLOCK, LockMethod.FCNTL));
            assertEquals(uids, restarted.scan().stream().map(org.roost.mail.StoredMessage::uid).toList());
            assertEquals(validity, restarted.uidValidity());
        }
        var inbox = inbox(List.of(LockMethod.DOTLOCK, LockMethod.FCNTL));
        assertEquals(uids, inbox.scan().stream().map(org.roost.mail.StoredMessage::uid).toList());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(dir.resolve("alice/.imap/INBOX/" + PendingUids.FILE)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(MboxFileCheck.problems(file()).isEmpty(), MboxFileCheck.problems(file()).toString());
        assertTrue(Files.readString(file()).contains("X-IMAPbase: " + validity + " 0000000300"));
    }

    @Test
    void theLockFilesAreGoneAfterAWrite() throws IOException {
        var inbox = inbox(List.of(LockMethod.DOTLOCK, LockMethod.FCNTL));
        append(inbox);
        assertTrue(Files.notExists(DotLockFile.lockFileOf(file())));
        assertTrue(Files.notExists(Journal.pathFor(file())));
        try (var names = Files.list(file().getParent())) {
            assertEquals(List.of(".imap", "inbox"), names.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
