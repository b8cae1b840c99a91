package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaUsage;
import org.roost.storage.MailLocation;
import org.roost.mail.OverQuotaException;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** Quota on every path into the index: APPEND, COPY, MOVE and expunge, concurrent additions, and warnings. */
class QuotasTest {
    /** Each test message is exactly 100 bytes. */
    private static final int SIZE = 100;
    @TempDir
    Path dir;
    private final Map<String, QuotaLimit> limits = new ConcurrentHashMap<>();
    private final List<Quotas.Warning> warnings = new CopyOnWriteArrayList<>();
    private IndexCache cache;

    @BeforeEach
    void cache() {
        cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + dir + "/%u"),
                MaildirOptions.defaults().withFsync(false)), IndexOptions.defaults(),
                this::limit, List.of(50, 90));
        cache.quotas().warnings(warnings::add);
    }

    /** The limits the test set; user "down" stands for a user database that cannot answer. */
    private QuotaLimit limit(String user) throws IOException {
        if (user.equals("down")) {
            throw new IOException("the user database does not answer");
        }
        return limits.getOrDefault(user, QuotaLimit.NONE);
    }

    private static ByteArrayInputStream message(int i) {
        var head = "Subject: " + i + "\r\n\r\n";
        return new ByteArrayInputStream((head + "x".repeat(SIZE - head.length())).getBytes(StandardCharsets.US_ASCII));
    }

    private MailboxState inbox(String user) throws IOException {
        return cache.open(user, "INBOX");
    }

    private long files(String user) throws IOException {
        try (var list = Files.list(dir.resolve(user).resolve("cur"))) {
            return list.count();
        }
    }

    @Test
    void appendsStopAtTheStorageLimitAndARefusedMessageLeavesNoFile() throws Exception {
        limits.put("alice", new QuotaLimit(3 * SIZE, 0));
        var inbox = inbox("alice");
        for (int i = 0; i < 3; i++) {
            inbox.append(message(i), Set.of(), Set.of(), Instant.now());
        }
        assertThrows(OverQuotaException.class, () -> inbox.append(message(9), Set.of(), Set.of(), Instant.now()));
        assertEquals(3, inbox.current().count());
        assertEquals(3, files("alice"));
        try (var tmp = Files.list(dir.resolve("alice/tmp"))) {
            assertEquals(0, tmp.count(), "the refused message's file is gone");
        }
        assertEquals(new QuotaUsage(3 * SIZE, 3), cache.quotas().report("alice").usage());
        assertEquals(1, cache.quotas().refusals());
    }

    /** Not the user's fault: a temporary failure (IMAP {@code NO [UNAVAILABLE]}, LMTP 451), nothing stored. */
    @Test
    void limitsThatCannotBeReadAreATemporaryFailure() throws Exception {
        var inbox = inbox("down");
        assertThrows(Quotas.QuotaUnavailable.class, () -> inbox.append(message(1), Set.of(), Set.of(), Instant.now()));
        assertThrows(Quotas.QuotaUnavailable.class, () -> cache.mailboxes("down").quota());
        assertEquals(0, files("down"));
        assertEquals(0, cache.quotas().refusals(), "not counted as over quota");
    }

    @Test
    void theMessageLimitCountsToo() throws Exception {
        limits.put("alice", new QuotaLimit(0, 2));
        var inbox = inbox("alice");
        inbox.append(message(1), Set.of(), Set.of(), Instant.now());
        inbox.append(message(2), Set.of(), Set.of(), Instant.now());
        assertThrows(OverQuotaException.class, () -> inbox.append(message(3), Set.of(), Set.of(), Instant.now()));
    }

    /** Additions in flight are admitted against each other: together they never pass the limit. */
    @Test
    void concurrentAppendsNeverPassTheLimit() throws Exception {
        limits.put("alice", new QuotaLimit(10 * SIZE, 0));
        var inbox = inbox("alice");
        var stored = new AtomicInteger();
        var results = new ArrayList<Future<?>>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        try {
                            inbox.append(message(seed * 10 + i), Set.of(), Set.of(), Instant.now());
                            stored.incrementAndGet();
                        } catch (OverQuotaException refused) {
                            // expected once full
                        }
                    }
                    return null;
                }));
            }
            for (var r : results) {
                r.get();
            }
        }
        assertEquals(10, stored.get());
        assertEquals(10, files("alice"));
    }

    @Test
    void copiesAreRefusedButMovesWithinTheUserAreNot() throws Exception {
        limits.put("alice", new QuotaLimit(2 * SIZE, 0));
        var inbox = inbox("alice");
        cache.mailboxes("alice").create("Archive");
        var archive = cache.open("alice", "Archive");
        var first = inbox.append(message(1), Set.of(), Set.of(), Instant.now());
        inbox.append(message(2), Set.of(), Set.of(), Instant.now());
        assertThrows(OverQuotaException.class, () -> inbox.copyTo(archive, List.of(first)));
        var moved = inbox.moveTo(archive, List.of(first), PrivateFlags.NONE);
        inbox.expunge(List.of(first));
        assertEquals(1, moved.size());
        assertEquals(new QuotaUsage(2 * SIZE, 2), cache.quotas().report("alice").usage());
    }

    @Test
    void aMoveToAnotherUserIsAnAddition() throws Exception {
        limits.put("bob", new QuotaLimit(SIZE, 0));
        var bobInbox = inbox("bob");
        bobInbox.append(message(0), Set.of(), Set.of(), Instant.now());
        var m = inbox("alice").append(message(1), Set.of(), Set.of(), Instant.now());
        assertThrows(OverQuotaException.class, () -> inbox("alice").moveTo(bobInbox, List.of(m), PrivateFlags.NONE));
    }

    @Test
    void expungesGiveRoomBack() throws Exception {
        limits.put("alice", new QuotaLimit(SIZE, 0));
        var inbox = inbox("alice");
        var m = inbox.append(message(1), Set.of(), Set.of(), Instant.now());
        assertThrows(OverQuotaException.class, () -> inbox.append(message(2), Set.of(), Set.of(), Instant.now()));
        inbox.expunge(List.of(m));
        inbox.append(message(3), Set.of(), Set.of(), Instant.now());
    }

    /** A warning for the highest threshold crossed, once per upward crossing. */
    @Test
    void warningsComeOncePerCrossing() throws Exception {
        limits.put("alice", new QuotaLimit(10 * SIZE, 0));
        var inbox = inbox("alice");
        var stored = new ArrayList<org.roost.mail.StoredMessage>();
        for (int i = 0; i < 6; i++) {
            stored.add(inbox.append(message(i), Set.of(), Set.of(), Instant.now()));
        }
        assertEquals(1, warnings.size());
        assertEquals(50, warnings.getFirst().percent());
        assertEquals("storage", warnings.getFirst().resource());
        inbox.expunge(stored.subList(0, 3));
        inbox.append(message(7), Set.of(), Set.of(), Instant.now());
        assertEquals(1, warnings.size(), "back under 50% and not yet over it again");
        for (int i = 0; i < 5; i++) {
            inbox.append(message(10 + i), Set.of(), Set.of(), Instant.now());
        }
        // 400 -> 900 bytes: 50% is crossed again (a new crossing), then 90%.
        assertEquals(List.of(50, 50, 90), warnings.stream().map(Quotas.Warning::percent).toList());
    }

    @Test
    void noticesAreCountedButNeverRefused() throws Exception {
        limits.put("alice", new QuotaLimit(SIZE, 0));
        var inbox = inbox("alice");
        inbox.append(message(1), Set.of(), Set.of(), Instant.now());
        inbox.appendNotice(message(2), Instant.now());
        assertEquals(new QuotaUsage(2 * SIZE, 2), cache.quotas().report("alice").usage());
    }

    @Test
    void administratorsLimitsWin() throws Exception {
        limits.put("alice", new QuotaLimit(SIZE, 0));
        var report = cache.quotas().override("alice", java.util.Optional.of(new QuotaLimit(5 * SIZE, 0)));
        assertEquals("admin", report.source());
        var inbox = inbox("alice");
        inbox.append(message(1), Set.of(), Set.of(), Instant.now());
        inbox.append(message(2), Set.of(), Set.of(), Instant.now());
        assertEquals("policy", cache.quotas().override("alice", java.util.Optional.empty()).source());
        assertThrows(OverQuotaException.class, () -> inbox.append(message(3), Set.of(), Set.of(), Instant.now()));
        assertTrue(cache.quotas().report("alice").usage().storage() >= 2 * SIZE);
    }
}
