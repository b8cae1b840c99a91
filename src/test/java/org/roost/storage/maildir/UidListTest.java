package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.roost.mail.SystemFlag;

class UidListTest {

    @Test
    void dovecotVersion3RoundTripsWithExtensionFieldsAndUnknownHeaderFields() {
        var text = "3 V1795905190 N7 Ga1f04c36a4560b6baf1f000083ecc375 X9\n"
                + "1 :1795905188.M923030P8111.vm,S=149,W=156\n"
                + "4 W170 S160 G0123 :1795905188.M927138P8111.vm\n";
        var list = UidList.parse(text, "test");
        assertFalse(list.damaged());
        assertEquals(1795905190L, list.uidValidity());
        assertEquals(7, list.nextUid());
        assertEquals(170, list.get("1795905188.M927138P8111.vm").orElseThrow().longExtension('W').getAsLong());
        assertEquals(text, list.format());
    }

    @Test
    void messageGuidsAreTheGFieldsAndFollowEveryChange() {
        var list = UidList.parse("3 V1 N5\n1 :a\n2 G0123abcd :b\n3 G :c\n", "test");
        assertEquals(Map.of("b", "0123abcd"), list.guids(), "an empty G is no GUID (Dovecot clears it)");
        list.assign("d", Map.of(UidList.GUID, "a"));
        assertEquals(Map.of("b", "0123abcd", "d", "a"), list.guids());
        list.remove("b");
        assertEquals(Map.of("d", "a"), list.guids());
        assertTrue(list.format().endsWith("5 Ga :d\n"), list.format());
    }

    @Test
    void aListWithoutMailboxGuidIsGivenOneToKeep() {
        var list = UidList.parse("1 1234 10\n3 old.name\n", "test");
        list.giveGuid("feed");
        list.giveGuid("beef");
        assertEquals("feed", list.guid());
        assertTrue(list.needsRewrite());
        assertEquals("3 V1234 N10 Gfeed\n3 :old.name\n", list.format());
    }

    @Test
    void version1IsReadAndWrittenAsVersion3() {
        var list = UidList.parse("1 1234 10\n3 old.name\n5 other.name\n", "test");
        assertFalse(list.damaged());
        assertEquals(1234, list.uidValidity());
        assertEquals(10, list.nextUid());
        assertEquals("3 V1234 N10\n3 :old.name\n5 :other.name\n", list.format());
    }

    @Test
    void nextUidIsNeverBelowTheHighestUid() {
        var list = UidList.parse("3 V1 N2\n7 :a\n", "test");
        assertEquals(8, list.nextUid());
    }

    @Test
    void damageIsSkipped() {
        var list = UidList.parse("3 V5 N9\n2 :a\nx :b\n1 :c\n3 :a\n4\n5 :.hidden\n6 :ok\n0 :zero\n", "test");
        assertTrue(list.damaged());
        assertEquals(List.of("a", "ok"), list.entries().stream().map(UidList.Entry::key).toList());
        var headless = UidList.parse("garbage\n2 :a\n", "test");
        assertEquals(0, headless.uidValidity(), "caller must pick a new UIDVALIDITY");
        assertEquals(List.of(2L), headless.entries().stream().map(UidList.Entry::uid).toList());
    }

    /** A list cut anywhere (a crash mid-write, a full disk) keeps every complete line and never throws. */
    @Test
    void aTruncatedListKeepsItsCompleteLines() {
        var whole = new StringBuilder("3 V77 N201 Gabc\n");
        for (int uid = 1; uid <= 200; uid++) {
            whole.append(uid).append(uid % 10 == 0 ? " W" + uid * 3 : "").append(" :").append(1_600_000_000L + uid)
                    .append(".M").append(uid).append("P9.host").append('\n');
        }
        var bytes = whole.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        quietly(() -> {
            for (int cut = 0; cut <= bytes.length; cut++) {
                var list = UidList.parse(bytes, cut, "cut");
                int complete = (int) java.util.stream.IntStream.range(0, cut).filter(i -> bytes[i] == '\n').count() - 1;
                var entries = list.entries();
                assertTrue(entries.size() >= Math.max(0, complete) && entries.size() <= complete + 1, "cut at " + cut);
                for (int i = 0; i < Math.max(0, complete); i++) {
                    assertEquals(i + 1, entries.get(i).uid());
                    assertEquals((1_600_000_000L + i + 1) + ".M" + (i + 1) + "P9.host", entries.get(i).key());
                }
                if (cut > 20) {
                    assertEquals(77, list.uidValidity(), "cut at " + cut);
                }
            }
        });
    }

    /** Keys that are not UTF-8, bytes of every value, overlong lines: skipped or kept, never a failure. */
    @Test
    void keysOfAnyBytesNeverThrowAndKeepTheirUidsAcrossAWrite() {
        var random = new Random(99);
        quietly(() -> {
            for (int round = 0; round < 500; round++) {
                var out = new java.io.ByteArrayOutputStream();
                out.writeBytes("3 V5 N1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                for (int uid = 1; uid <= 20; uid++) {
                    out.writeBytes((uid + " :").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    var key = new byte[random.nextInt(round % 50 == 0 ? 2000 : 40)];
                    random.nextBytes(key);
                    for (int i = 0; i < key.length; i++) {
                        key[i] = key[i] == '\n' ? (byte) 'n' : key[i];
                    }
                    out.writeBytes(key);
                    out.write('\n');
                }
                var bytes = out.toByteArray();
                var list = UidList.parse(bytes, bytes.length, "bytes");
                var again = UidList.parse(list.format(), "again");
                assertEquals(list.entries(), again.entries(), "round " + round);
                for (var entry : list.entries()) {
                    assertTrue(MaildirFileName.isPlausibleKey(entry.key()), entry.key());
                    assertEquals(entry.uid(), list.get(entry.key()).orElseThrow().uid());
                }
            }
        });
    }

    private static void quietly(Runnable run) {
        var logger = java.util.logging.Logger.getLogger(UidList.class.getName());
        logger.setLevel(java.util.logging.Level.OFF);
        try {
            run.run();
        } finally {
            logger.setLevel(null);
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        // Thousands of damaged files would each log a warning: keep the build output readable.
        var quiet = List.of(java.util.logging.Logger.getLogger(UidList.class.getName()),
                java.util.logging.Logger.getLogger(KeywordTable.class.getName()));
        quiet.forEach(logger -> logger.setLevel(java.util.logging.Level.OFF));
        try {
            fuzz();
        } finally {
            quiet.forEach(logger -> logger.setLevel(null));
        }
    }

    private static void fuzz() {
        var random = new Random(42);
        var alphabet = "0123456789 :VNG\n\u0000\u00ffab.,=SW";
        for (int round = 0; round < 3000; round++) {
            var text = new StringBuilder(round % 2 == 0 ? "3 V1 N1\n" : "");
            for (int i = random.nextInt(200); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            var list = UidList.parse(text.toString(), "fuzz");
            long previous = 0;
            for (var entry : list.entries()) {
                assertTrue(entry.uid() > previous);
                previous = entry.uid();
            }
            assertTrue(list.nextUid() > previous);
            UidList.parse(list.format(), "fuzz-again");
            KeywordTable.parse(text.toString(), "fuzz");
            MaildirFileName.parse(text.toString()).flags();
        }
    }

    @Test
    void fileNamesCarryFlagsKeywordsAndSizes() {
        var name = MaildirFileName.parse("1795905188.M927138P8111.vm,S=152,W=159:2,DPab");
        assertEquals("1795905188.M927138P8111.vm,S=152,W=159", name.base());
        assertEquals(Set.of(SystemFlag.DRAFT), name.flags());
        assertEquals(Set.of(0, 1), name.keywordIndexes());
        assertEquals(152, name.size().getAsLong());
        assertEquals(159, name.virtualSize().getAsLong());
        var changed = name.withFlags(Set.of(SystemFlag.SEEN, SystemFlag.DELETED, SystemFlag.ANSWERED, SystemFlag.FLAGGED), Set.of(25, 2));
        assertEquals("1795905188.M927138P8111.vm,S=152,W=159:2,FPRSTcz", changed.fileName());
        assertTrue(MaildirFileName.parse("plain").size().isEmpty());
        assertEquals("", MaildirFileName.parse("x:1,abc").info());
    }

    @Test
    void puttingOutOfUidOrderStillListsAscending() {
        var list = new UidList(1, 1, null);
        for (long uid : new long[] {9, 3, 7, 1}) {
            list.put(new UidList.Entry(uid, "k" + uid, java.util.Map.of()));
        }
        assertEquals(List.of(1L, 3L, 7L, 9L), list.entries().stream().map(UidList.Entry::uid).toList());
        assertEquals(7, list.get("k7").orElseThrow().uid());
        assertEquals("3 V1 N1\n1 :k1\n3 :k3\n7 :k7\n9 :k9\n", list.format());
    }

    /** Random puts, assigns and removes against a plain sorted map, through growth and compaction. */
    @Test
    void behavesLikeASortedMapUnderRandomChanges() {
        var random = new Random(7);
        var list = new UidList(1, 1, null);
        var model = new java.util.TreeMap<Long, String>();
        for (int step = 0; step < 20_000; step++) {
            var key = "m" + random.nextInt(3000);
            var known = list.get(key);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    if (known.isEmpty()) {
                        model.put(list.assign(key, java.util.Map.of()).uid(), key);
                    }
                }
                case 3 -> { // files no entry matched, numbered at once (the key index may be left to be built later)
                    int names = 1 + random.nextInt(step % 500 == 0 ? 400 : 4);
                    var files = new Listing.Builder(names, false);
                    for (int i = 0; i < names; i++) {
                        var name = "m" + random.nextInt(3000);
                        if (list.get(name).isEmpty()) {
                            files.add(name + ":2,S");
                        }
                    }
                    var listing = files.build();
                    long next = list.nextUid();
                    list.assignKeysOf(listing, java.util.stream.IntStream.range(0, listing.size()).toArray());
                    for (int row = 0; row < listing.size(); row++) {
                        model.put(next + row, listing.key(row));
                    }
                }
                case 2 -> {
                    known.ifPresent(entry -> model.remove(entry.uid()));
                    list.remove(key);
                }
                default -> {
                    var size = Integer.toString(step);
                    known.ifPresent(entry -> list.put(entry.withExtension('W', size)));
                }
            }
            if (step % 997 == 0) {
                assertEquals(List.copyOf(model.keySet()), list.entries().stream().map(UidList.Entry::uid).toList());
                assertEquals(List.copyOf(model.values()), list.entries().stream().map(UidList.Entry::key).toList());
            }
        }
        var reread = UidList.parse(list.format(), "test");
        assertFalse(reread.damaged());
        assertEquals(List.copyOf(model.values()), reread.entries().stream().map(UidList.Entry::key).toList());
        model.forEach((uid, key) -> assertEquals(uid, list.get(key).orElseThrow().uid()));
    }

    @Test
    void hostNamesAreEscapedAsMaildirAsks() {
        assertEquals("a\\057b\\072c\\054d", UniqueNames.escapeHost("a/b:c,d"));
        var unique = UniqueNames.next(10, 12);
        assertTrue(unique.matches("\\d+\\.M\\d+P\\d+Q\\d+\\.[^/:]+,S=10,W=12"), unique);
    }
}
