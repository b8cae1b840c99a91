package org.roost.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.fts.FullTextSearch;
import org.roost.imap.command.TestContexts;
import org.roost.imap.protocol.Search;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.MailboxView;
import org.roost.mail.SequenceSet;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.mail.mime.SearchText;
import org.roost.net.Cancellation;
import org.roost.testing.SeededMailbox;

/**
 * The evaluator reads flags, keywords, UIDs, sizes and internal dates from the view's columns; it
 * must decide as the message objects say (the session's adopted flags, \Recent, keywords ignoring
 * case, the internal date's day in the server's zone), for random key trees.
 */
class SearchEvaluatorTest {
    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHours(-11), ZoneId.of("Europe/Berlin"), ZoneId.of("America/Havana"));
    @TempDir
    Path root;

    @Test
    void decidesAsTheMessageObjectsSay() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            var mailbox = new SeededMailbox(root.resolve("s" + seed), seed);
            var random = mailbox.random();
            for (int round = 0; round < 200; round++) {
                var view = random.nextBoolean() ? mailbox.mine : mailbox.other;
                var zone = ZONES.get(random.nextInt(ZONES.size()));
                var key = randomKey(random, view, 3);
                var evaluator = new SearchEvaluator(view, zone, UidSet.empty(), TextCandidates.NONE,
                        SearchText.AttachmentReader.NONE);
                for (int seq = 1; seq <= view.count(); seq++) {
                    assertEquals(expected(key, seq, view, zone), evaluator.matches(key, seq),
                            "seed " + seed + ", " + zone + ", message " + seq + ": " + key);
                }
            }
        }
    }

    @Test
    void answersWithTheMatchingNumbers() throws IOException {
        var mailbox = new SeededMailbox(root, 4);
        var random = mailbox.random();
        for (int round = 0; round < 40; round++) {
            var view = random.nextBoolean() ? mailbox.mine : mailbox.other;
            var key = randomKey(random, view, 2);
            boolean uid = random.nextBoolean();
            var line = new StringBuilder("* SEARCH");
            for (int seq = 1; seq <= view.count(); seq++) {
                if (expected(key, seq, view, ZoneId.systemDefault())) {
                    line.append(' ').append(uid ? view.message(seq).uid() : seq);
                }
            }
            var bytes = new ByteArrayOutputStream();
            new SearchCommand(10, FullTextSearch.disabled()).execute(new Search("t", uid, "US-ASCII", key),
                    TestContexts.selected(view, bytes, Cancellation.never()));
            assertEquals(line + "\r\n", bytes.toString(StandardCharsets.US_ASCII), key.toString());
        }
    }

    /** The decision as made from the message object (RFC 3501 §6.4.4). */
    private static boolean expected(SearchKey key, int seq, MailboxView view, ZoneId zone) {
        var m = view.message(seq);
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.Flag f -> m.flags().contains(f.flag()) == f.set();
            case SearchKey.New n -> view.isRecent(m) && !m.flags().contains(SystemFlag.SEEN);
            case SearchKey.Old o -> !view.isRecent(m);
            case SearchKey.Recent r -> view.isRecent(m);
            case SearchKey.Keyword k -> m.keywords().stream().anyMatch(k.keyword()::equalsIgnoreCase) == k.set();
            case SearchKey.Size s -> s.larger() ? m.virtualSize() > s.bytes() : m.virtualSize() < s.bytes();
            case SearchKey.Uid u -> u.set().contains(m.uid(), view.message(view.count()).uid());
            case SearchKey.Sequence s -> s.set().contains(seq, view.count());
            case SearchKey.Not n -> !expected(n.key(), seq, view, zone);
            case SearchKey.Or o -> expected(o.left(), seq, view, zone) || expected(o.right(), seq, view, zone);
            case SearchKey.And a -> a.keys().stream().allMatch(k -> expected(k, seq, view, zone));
            case SearchKey.Date d -> {
                var day = m.internalDate().atZone(zone).toLocalDate();
                yield switch (d.comparison()) {
                    case BEFORE -> day.isBefore(d.date());
                    case ON -> day.isEqual(d.date());
                    case SINCE -> !day.isBefore(d.date());
                };
            }
            default -> throw new IllegalArgumentException("not an index key: " + key);
        };
    }

    private static SearchKey randomKey(Random random, MailboxView view, int depth) {
        int kinds = depth == 0 ? 9 : 12;
        return switch (random.nextInt(kinds)) {
            case 0 -> new SearchKey.Flag(SystemFlag.values()[random.nextInt(SystemFlag.values().length)], random.nextBoolean());
            case 1 -> List.<SearchKey>of(new SearchKey.New(), new SearchKey.Old(), new SearchKey.Recent(),
                    new SearchKey.All()).get(random.nextInt(4));
            case 2, 3 -> new SearchKey.Keyword(randomKeyword(random), random.nextBoolean());
            case 4 -> new SearchKey.Size(random.nextBoolean(), random.nextLong(55, 80));
            case 5 -> new SearchKey.Uid(randomSet(random, view.uid(view.count())));
            case 6 -> new SearchKey.Sequence(randomSet(random, view.count()));
            case 7, 8 -> new SearchKey.Date(SearchKey.DateField.INTERNAL,
                    SearchKey.Comparison.values()[random.nextInt(3)],
                    LocalDate.of(2024, 3, 23).plusDays(random.nextInt(0, 303)));
            case 9 -> new SearchKey.Not(randomKey(random, view, depth - 1));
            case 10 -> new SearchKey.Or(randomKey(random, view, depth - 1), randomKey(random, view, depth - 1));
            default -> new SearchKey.And(List.of(randomKey(random, view, depth - 1), randomKey(random, view, depth - 1),
                    randomKey(random, view, depth - 1)));
        };
    }

    /** A keyword as a client may write it: any case, or one the mailbox never used. */
    private static String randomKeyword(Random random) {
        var names = new ArrayList<>(SeededMailbox.KEYWORDS);
        names.add("Unused");
        var name = names.get(random.nextInt(names.size()));
        return switch (random.nextInt(3)) {
            case 0 -> name.toUpperCase(java.util.Locale.ROOT);
            case 1 -> name.toLowerCase(java.util.Locale.ROOT);
            default -> name;
        };
    }

    private static SequenceSet randomSet(Random random, long largest) {
        long a = random.nextLong(1, largest + 1);
        long b = random.nextLong(1, largest + 1);
        return SequenceSet.parse(switch (random.nextInt(3)) {
            case 0 -> a + ":" + b;
            case 1 -> a + ":*," + b;
            default -> String.valueOf(a);
        });
    }
}
