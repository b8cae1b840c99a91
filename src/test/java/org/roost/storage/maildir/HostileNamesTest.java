package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailStore;

/**
 * Maildirs of hostile names, as other programs and hands leave them: no size, odd and unsorted flag
 * letters, ':' twice, the same base name in new/ and cur/ or twice in cur/, names past 200 characters,
 * non-ASCII names, dot files and control characters. A first scan (the first SELECT) must list them as
 * a plain reading of the Maildir rules does, which this test does on its own: the key is the name up
 * to its first ':', the flags are the letters after a first {@code :2,}, each key is listed once, and
 * files new to the uid list get UIDs in delivery order (seconds, then microseconds, then key); a second
 * open keeps every UID. Seeded loops: a failure names its seed.
 */
class HostileNamesTest {
    private static final String KEYWORDS = "0 $Forwarded\n1 Work\n25 last\n";
    private static final String LETTERS = "DFRSTPabzZ:,2 ";

    @TempDir
    Path root;

    /** One file as the test wrote it: where, under which name, and the line that tells it apart. */
    private record Written(String dir, String name, String body) {
        String key() {
            int colon = name.indexOf(':');
            return colon < 0 ? name : name.substring(0, colon);
        }
    }

    @Test
    void aFirstScanOfHostileNamesListsAndNumbersThemAsTheMaildirRulesSay() throws IOException {
        for (long seed = 1; seed <= 25; seed++) {
            var user = root.resolve("seed" + seed);
            var store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(user);
            store.mailbox("INBOX");
            Files.writeString(user.resolve(KeywordFile.NAME), KEYWORDS);
            var written = writeHostileMaildir(user, new Random(seed));
            var scanned = store.mailbox("INBOX").scan();
            checkScan(seed, store, written, scanned);
            var again = reopened(user).mailbox("INBOX").scan();
            assertEquals(uidsByKey(scanned), uidsByKey(again), "seed " + seed + ": a second open keeps every UID");
        }
    }

    private static MailStore reopened(Path user) throws IOException {
        return new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(user);
    }

    private static Map<String, Long> uidsByKey(List<StoredMessage> messages) {
        var uids = new HashMap<String, Long>();
        messages.forEach(m -> uids.put(m.key(), m.uid()));
        return uids;
    }

    private static List<Written> writeHostileMaildir(Path user, Random random) throws IOException {
        var written = new ArrayList<Written>();
        var keys = new ArrayList<String>();
        for (int i = 0; i < 120; i++) {
            boolean again = !keys.isEmpty() && random.nextInt(8) == 0; // a base name that is there already
            var key = again ? keys.get(random.nextInt(keys.size())) : hostileKey(random, i);
            keys.add(key);
            var dir = random.nextInt(5) == 0 ? "new" : "cur";
            var name = key + hostileInfo(random);
            if (Files.exists(user.resolve(dir).resolve(name))) {
                continue;
            }
            var file = new Written(dir, name, "Subject: file " + i);
            Files.write(user.resolve(dir).resolve(name), (file.body() + "\n\nbody\n").getBytes(StandardCharsets.US_ASCII));
            written.add(file);
        }
        for (var implausible : List.of(".hidden:2,S", "with\u0001control:2,", "del\u007f", ":2,S")) {
            Files.writeString(user.resolve("cur").resolve(implausible), "Subject: never listed\n\n");
        }
        return written;
    }

    /** Delivery-like names and others: no seconds, shared seconds, sizes that lie, long and non-ASCII ones. */
    private static String hostileKey(Random random, int i) {
        long seconds = 1_700_000_000L + random.nextInt(4); // many share a second: ordered by microseconds, then key
        return switch (random.nextInt(8)) {
            case 0 -> "procmail" + i + "." + random.nextInt(1000);                      // no seconds at all
            case 1 -> seconds + ".M" + random.nextInt(50) + "P" + i + ".host";         // procmail/maildrop style
            case 2 -> seconds + ".M" + random.nextInt(50) + "P" + i + ".host,S=" + random.nextInt(99_999);
            case 3 -> seconds + "." + i + "_" + random.nextInt(9) + ".host,S=abc,W=";  // fields that say nothing
            case 4 -> seconds + ".M" + i + "P1." + "h".repeat(150 + random.nextInt(50)); // very long
            case 5 -> seconds + ".M" + i + "P1.h\u00f6st\u00e9";                        // not ASCII
            case 6 -> "0" + seconds + ".M" + i;                                         // a leading zero
            default -> seconds + ".M" + random.nextInt(3) + "P" + i + ".host";
        };
    }

    private static String hostileInfo(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> "";
            case 1 -> ":2,";
            case 2 -> ":1,xyz";
            case 3 -> ":2," + randomLetters(random) + ":2," + randomLetters(random); // ':' twice
            case 4 -> ":";
            default -> ":2," + randomLetters(random);
        };
    }

    private static String randomLetters(Random random) {
        var letters = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            letters.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return letters.toString();
    }

    private static void checkScan(long seed, MailStore store, List<Written> written, List<StoredMessage> scanned)
            throws IOException {
        var inbox = store.mailbox("INBOX");
        var byBody = new HashMap<String, StoredMessage>();
        var keys = new HashSet<String>();
        for (var m : scanned) {
            assertTrue(keys.add(m.key()), "seed " + seed + ": key listed twice: " + m.key());
            try (var in = inbox.open(m)) {
                var body = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
                assertFalse(body.contains("never listed"), "seed " + seed + ": listed " + m.key());
                byBody.put(body, m);
            }
        }
        var listedKeys = new HashSet<String>();
        var firstOfKey = new ArrayList<Written>();
        for (var file : written) {
            var m = byBody.get(file.body());
            // A file in new/ whose name cur/ holds already stays in new/ (the move never replaces a file).
            if (m == null) {
                assertTrue(file.dir().equals("new") && written.stream().anyMatch(
                        other -> other != file && other.dir().equals("cur") && other.name().equals(curName(file))),
                        "seed " + seed + ": not listed: " + file);
                continue;
            }
            var name = file.dir().equals("new") ? curName(file) : file.name();
            assertEquals(expectedFlags(name), m.flags(), "seed " + seed + ": flags of " + name);
            assertEquals(expectedKeywords(name), m.keywords(), "seed " + seed + ": keywords of " + name);
            assertEquals(List.of(StoredMessage.UNKNOWN_SIZE, StoredMessage.UNKNOWN_SIZE),
                    List.of(m.physicalSize(), m.virtualSize()), "seed " + seed + ": sizes wait for a command");
            if (m.key().equals(file.key())) {
                assertTrue(listedKeys.add(file.key()), "seed " + seed + ": key kept twice: " + file.key());
                firstOfKey.add(file);
            }
        }
        assertEquals(scanned.size(), byBody.size(), "seed " + seed + ": every listed file is one the test wrote");
        // The files that kept their names are numbered in delivery order (the renamed duplicates come after).
        var byUid = firstOfKey.stream().sorted(Comparator.comparingLong(f -> byBody.get(f.body()).uid()))
                .map(Written::key).toList();
        var byDelivery = firstOfKey.stream().map(Written::key).sorted(HostileNamesTest::deliveryOrder).toList();
        assertEquals(byDelivery, byUid, "seed " + seed + ": UIDs in delivery order");
    }

    /** Where a file of new/ goes in cur/: with an empty info part unless it has one. */
    private static String curName(Written file) {
        return file.name().indexOf(':') >= 0 ? file.name() : file.name() + ":2,";
    }

    private static Set<SystemFlag> expectedFlags(String name) {
        var flags = EnumSet.noneOf(SystemFlag.class);
        for (char c : info(name).toCharArray()) {
            switch (c) {
                case 'D' -> flags.add(SystemFlag.DRAFT);
                case 'F' -> flags.add(SystemFlag.FLAGGED);
                case 'R' -> flags.add(SystemFlag.ANSWERED);
                case 'S' -> flags.add(SystemFlag.SEEN);
                case 'T' -> flags.add(SystemFlag.DELETED);
                default -> { }
            }
        }
        return flags;
    }

    /** The keywords of KEYWORDS that the lower-case letters name: a is 0, b (1) is Work, z (25) is last. */
    private static Set<String> expectedKeywords(String name) {
        var keywords = new TreeSet<String>();
        for (char c : info(name).toCharArray()) {
            switch (c) {
                case 'a' -> keywords.add("$Forwarded");
                case 'b' -> keywords.add("Work");
                case 'z' -> keywords.add("last");
                default -> { }
            }
        }
        return keywords;
    }

    /** The letters after a first ':' that begins ":2,". */
    private static String info(String name) {
        int colon = name.indexOf(':');
        return colon >= 0 && name.startsWith(":2,", colon) ? name.substring(colon + 3) : "";
    }

    private static int deliveryOrder(String a, String b) {
        int bySeconds = Long.compare(leadingNumber(a, 0), leadingNumber(b, 0));
        if (bySeconds != 0) {
            return bySeconds;
        }
        int byMicros = Long.compare(micros(a), micros(b));
        return byMicros != 0 ? byMicros : a.compareTo(b);
    }

    private static long micros(String key) {
        int dot = key.indexOf('.');
        return dot >= 0 && key.startsWith("M", dot + 1) ? leadingNumber(key, dot + 2) : 0;
    }

    /** The number the text starts with at {@code from}, or the largest long when there are no digits. */
    private static long leadingNumber(String text, int from) {
        int end = from;
        while (end < text.length() && end - from < 18 && Character.isDigit(text.charAt(end)) && text.charAt(end) < 0x80) {
            end++;
        }
        return end == from ? Long.MAX_VALUE : Long.parseLong(text.substring(from, end));
    }
}
