package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaUsage;
import org.roost.storage.files.Durability;
import org.roost.storage.files.QuotaLedger;

/**
 * Maildir++ {@code maildirsize} as Courier and Dovecot write it: read and summed, appended to, and recalculated
 * from mail other programs wrote when it is missing, damaged, too long, kept for other limits, or stale.
 */
class MaildirQuotaTest {
    private static final QuotaLimit LIMIT = new QuotaLimit(1_073_741_824, 10_000);
    @TempDir
    Path root;
    private QuotaLedger quota;

    @BeforeEach
    void mail() throws IOException {
        for (var dir : new String[] {"cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"}) {
            Files.createDirectories(root.resolve(dir));
        }
        // As another program left them: sizes in the names, or only in the files; tmp/ does not count.
        Files.writeString(root.resolve("cur/1700000000.M1P1.host,S=1000:2,S"), "x".repeat(1000));
        Files.writeString(root.resolve("new/1700000001.M2P1.host"), "y".repeat(300));
        Files.writeString(root.resolve(".Sent/cur/1700000002.M3P1.host,S=700,W=710:2,"), "z".repeat(700));
        Files.writeString(root.resolve("tmp/1700000003.M4P1.host"), "t".repeat(5000));
        quota = MaildirQuota.of(root, new Durability(false));
    }

    private String file() throws IOException {
        return Files.readString(root.resolve("maildirsize"));
    }

    @Test
    void courierAndDovecotLedgersAreSummed() throws Exception {
        Files.writeString(root.resolve("maildirsize"), "1073741824S,10000C\n12345 10\n100 1\n-50 -1\n");
        assertEquals(new QuotaUsage(12_395, 10), quota.usage(LIMIT));
    }

    @Test
    void aMissingLedgerIsCountedFromTheMail() throws Exception {
        assertEquals(new QuotaUsage(2000, 3), quota.usage(LIMIT));
        assertEquals("1073741824S,10000C\n2000 3\n", file());
    }

    @Test
    void damagedLedgersAreCountedAgain() throws Exception {
        for (var damaged : new String[] {"1073741824S,10000C\n12345 10\nxyz\n", "1073741824S,10000C\n12345 10\n100",
                "1073741824S,10000C\n-5000 -3\n", "1073741824Q\n5 5\n", "1073741824S,10000C\n1 2 3\n",
                "1073741824S,10000C\n9223372036854775807 1\n1 1\n"}) {
            Files.writeString(root.resolve("maildirsize"), damaged);
            assertEquals(new QuotaUsage(2000, 3), quota.usage(LIMIT), damaged);
        }
    }

    @Test
    void aLongLedgerIsCompacted() throws Exception {
        var text = new StringBuilder("1073741824S,10000C\n2000 3\n");
        while (text.length() <= 5120) {
            text.append("10 1\n-10 -1\n");
        }
        Files.writeString(root.resolve("maildirsize"), text);
        assertEquals(new QuotaUsage(2000, 3), quota.usage(LIMIT));
        assertEquals("1073741824S,10000C\n2000 3\n", file());
    }

    @Test
    void otherLimitsMeanARecount() throws Exception {
        Files.writeString(root.resolve("maildirsize"), "5000S\n999 9\n");
        assertEquals(new QuotaUsage(2000, 3), quota.usage(LIMIT));
        assertTrue(file().startsWith("1073741824S,10000C\n"));
    }

    @Test
    void overQuotaForMoreThanFifteenMinutesMeansARecount() throws Exception {
        var small = new QuotaLimit(1500, 0);
        Files.writeString(root.resolve("maildirsize"), "1500S\n9000 9\n");
        assertEquals(new QuotaUsage(9000, 9), quota.usage(small), "a fresh ledger over quota is trusted");
        Files.setLastModifiedTime(root.resolve("maildirsize"), FileTime.from(Instant.now().minusSeconds(16 * 60)));
        assertEquals(new QuotaUsage(2000, 3), quota.usage(small));
    }

    @Test
    void recordsAreAppendedAsLines() throws Exception {
        quota.usage(LIMIT);
        assertEquals(new QuotaUsage(2500, 4), quota.record(LIMIT, 500, 1));
        assertEquals(new QuotaUsage(2400, 3), quota.record(LIMIT, -100, -1));
        assertEquals("1073741824S,10000C\n2000 3\n500 1\n-100 -1\n", file());
        assertEquals(new QuotaUsage(2400, 3), MaildirQuota.of(root, new Durability(false)).usage(LIMIT));
    }

    /** Two "processes" (two instances) and several threads appending at once lose no line. */
    @Test
    void concurrentRecordsAddUp() throws Exception {
        quota.usage(LIMIT);
        var other = MaildirQuota.of(root, new Durability(false));
        var results = new ArrayList<Future<?>>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                var q = t % 2 == 0 ? quota : other;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        q.record(LIMIT, 3, 1);
                    }
                    return null;
                }));
            }
            for (var r : results) {
                r.get();
            }
        }
        // 200 lines pass 5120 bytes, so the reader recounts from the mail: read the sum as written instead.
        long lines = file().lines().skip(2).filter("3 1"::equals).count();
        assertEquals(200, lines);
    }

    @Test
    void unlimitedUsersGetNoLedger() throws Exception {
        assertEquals(new QuotaUsage(2000, 3), quota.usage(QuotaLimit.NONE));
        assertFalse(Files.exists(root.resolve("maildirsize")));
    }

    @Test
    void administratorsLimitsAreKeptApart() throws Exception {
        assertEquals(Optional.empty(), quota.override());
        quota.override(Optional.of(new QuotaLimit(5000, 7)));
        assertEquals(Optional.of(new QuotaLimit(5000, 7)), quota.override());
        assertEquals("storage=5000 messages=7\n", Files.readString(root.resolve("roost-quota")));
        quota.override(Optional.empty());
        assertEquals(Optional.empty(), quota.override());
        Files.writeString(root.resolve("roost-quota"), "storage=lots\n");
        assertThrows(IOException.class, quota::override);
    }
}
