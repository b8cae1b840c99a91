package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A kept sort order answers what a fresh sort would: a seeded run of APPEND (by this session and
 * another), COPY, STORE and EXPUNGE, each step followed by SORTs by DATE, SUBJECT, FROM and ARRIVAL, plain and
 * REVERSE, over every message and over a flag's subset, each compared with a model the test sorts from
 * the messages it wrote (RFC 5256 §3: equal keys in sequence order, REVERSE reversing only the key).
 * The keys collide on purpose: few subjects (one only by "Re:" and case, §2.1), senders, dates (one
 * only by its zone), messages without the header; a missing Date sorts by the internal date (§2.2);
 * a message in four brings values no other has (placed between the kept ones). SORTs by two criteria
 * (the first one's kept order, its ties sorted by the second) and ESORT's MIN, MAX and COUNT are compared too.
 */
class KeptSortOrderTest {
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID \\d+ (\\d+)]");
    private static final Pattern COPYUID = Pattern.compile("\\[COPYUID \\d+ \\d+ (\\d+)]");
    private static final DateTimeFormatter INTERNAL = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

    /** Subject header (null: none) and its base subject in upper case (§2.1; i;unicode-casemap for ASCII). */
    private static final String[] SUBJECTS = {"alpha", "ALPHA", "Re: alpha", "beta", "", null};
    private static final String[] SUBJECT_KEYS = {"ALPHA", "ALPHA", "ALPHA", "BETA", "", ""};
    /** From header and its first address's mailbox in upper case (§3: "" when none). */
    private static final String[] FROMS = {"ann@x.org", "Bob <bob@x.org>", "BOB@y.org", "carl@x.org", null};
    private static final String[] FROM_KEYS = {"ANN", "BOB", "BOB", "CARL", ""};
    /** Date header and its instant in epoch seconds (null: none, the internal date stands in). */
    private static final String[] DATES = {"Mon, 3 Jun 2024 10:00:00 +0000", "Mon, 3 Jun 2024 12:00:00 +0200",
        "Tue, 4 Jun 2024 10:00:00 +0000", null};
    private static final long[] DATE_KEYS = {1717408800L, 1717408800L, 1717495200L, 0};
    private static final long[] INTERNAL_DATES = {1577836800L, 1735689600L, 1717408800L};
    private static final DateTimeFormatter SENT = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** A message as the test wrote it: its headers (null: none) and the keys they sort by. */
    private record Mail(long uid, String subject, String from, String date, String subjectKey, String fromKey,
            long dateKey, long internalDate, boolean flagged) {
        Mail flagged(boolean flag) {
            return new Mail(uid, subject, from, date, subjectKey, fromKey, dateKey, internalDate, flag);
        }

        Mail copy(long newUid) {
            return new Mail(newUid, subject, from, date, subjectKey, fromKey, dateKey, internalDate, flagged);
        }
    }

    private record Key(String name, Comparator<Mail> order) {}

    private static final List<Key> KEYS = List.of(new Key("DATE", Comparator.comparingLong(Mail::dateKey)),
            new Key("SUBJECT", Comparator.comparing(Mail::subjectKey)), new Key("FROM", Comparator.comparing(Mail::fromKey)),
            new Key("ARRIVAL", Comparator.comparingLong(Mail::internalDate)));

    @TempDir
    Path dir;
    private TestServer server;
    private RawImapClient c;
    private RawImapClient other;
    private final List<Mail> mails = new ArrayList<>();
    private Random random;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
        c = login();
        other = login();
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        other.close();
        server.close();
    }

    private RawImapClient login() throws IOException {
        var client = server.imap();
        client.greeting();
        client.expectOk("LOGIN alice \"wonder land\"");
        return client;
    }

    @Test
    @Timeout(120)
    void aKeptOrderEqualsAFreshSortAfterEveryChange() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            random = new Random(seed);
            for (int i = 0; i < 25; i++) {
                append(c);
            }
            c.expectOk("SELECT INBOX");
            other.expectOk("SELECT INBOX");
            for (int step = 0; step < 40; step++) {
                change();
                c.expectOk("NOOP");
                compareSorts("seed " + seed + " step " + step);
                compareMoreCriteria("seed " + seed + " step " + step);
            }
            c.expectOk("STORE 1:* +FLAGS.SILENT (\\Deleted)");
            c.expectOk("EXPUNGE");
            mails.clear();
            other.expectOk("NOOP");
        }
    }

    /**
     * Hostile keys: every message without a header field (all keys equal: one run of ties, in sequence
     * order both ways), then more of them and one with a 10 MB header field before its Subject; the kept
     * answers equal those of a server started afresh over the same mailbox.
     */
    @Test
    @Timeout(120)
    void identicalEmptyAndHugeHeadersAnswerAsAFreshSort() throws IOException {
        var empty = "\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 300; i++) {
            assertTrue(c.append("INBOX", "() \"01-Jan-2020 00:00:00 +0000\"", empty).ok());
        }
        c.expectOk("SELECT INBOX");
        var inOrder = "* SORT " + IntStream.rangeClosed(1, 300).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        for (var criterion : List.of("SUBJECT", "REVERSE SUBJECT", "REVERSE DATE", "FROM", "REVERSE ARRIVAL")) {
            assertEquals(inOrder, sort("SORT", criterion, "ALL"), criterion);
            assertEquals(inOrder, sort("SORT", criterion, "ALL"), criterion + " again");
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(other.append("INBOX", "() \"01-Jan-2020 00:00:00 +0000\"", empty).ok());
        }
        var huge = ("X-Big: " + "a".repeat(10 << 20) + "\r\nSubject: aaa\r\nFrom: a@b\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertTrue(other.append("INBOX", "()", huge).ok());
        c.expectOk("NOOP");
        var criteria = List.of("SUBJECT", "REVERSE SUBJECT", "DATE", "REVERSE FROM", "ARRIVAL");
        var kept = new ArrayList<String>();
        for (var criterion : criteria) {
            kept.add(sort("UID SORT", criterion, "ALL"));
        }
        c.close();
        other.close();
        server.close();
        server = TestServer.start(dir);
        c = login();
        other = login();
        c.expectOk("SELECT INBOX");
        for (int k = 0; k < criteria.size(); k++) {
            assertEquals(sort("UID SORT", criteria.get(k), "ALL"), kept.get(k), criteria.get(k) + " afresh");
        }
    }

    private void change() throws IOException {
        int what = random.nextInt(10);
        if (what < 3 || mails.size() < 3) {
            append(random.nextBoolean() ? c : other);
        } else if (what < 5) {
            int seq = random.nextInt(1, mails.size() + 1);
            var copied = c.expectOk("COPY " + seq + " INBOX").tagged();
            mails.add(mails.get(seq - 1).copy(uid(COPYUID, copied)));
        } else if (what < 7) {
            int seq = random.nextInt(1, mails.size() + 1);
            boolean flag = random.nextBoolean();
            other.expectOk("STORE " + seq + (flag ? " +" : " -") + "FLAGS.SILENT (\\Flagged)");
            mails.set(seq - 1, mails.get(seq - 1).flagged(flag));
        } else {
            var gone = random.ints(random.nextInt(1, 4), 1, mails.size() + 1).distinct().sorted().toArray();
            var session = random.nextBoolean() ? c : other;
            session.expectOk("STORE " + IntStream.of(gone).mapToObj(Integer::toString).collect(Collectors.joining(","))
                    + " +FLAGS.SILENT (\\Deleted)");
            session.expectOk("EXPUNGE");
            for (int k = gone.length - 1; k >= 0; k--) {
                mails.remove(gone[k] - 1);
            }
        }
        other.expectOk("NOOP");
    }

    /** A message whose keys mostly collide with others', sometimes (a new value) with none. */
    private void append(RawImapClient session) throws IOException {
        long internal = INTERNAL_DATES[random.nextInt(INTERNAL_DATES.length)];
        int s = random.nextInt(SUBJECTS.length);
        int f = random.nextInt(FROMS.length);
        int d = random.nextInt(DATES.length);
        int unique = random.nextInt(1_000_000);
        boolean fresh = random.nextInt(4) == 0;
        String subject = fresh ? "q" + unique : SUBJECTS[s];
        String from = fresh ? "f" + unique + "@x.org" : FROMS[f];
        long sent = fresh ? 1717408800L + unique : DATE_KEYS[d];
        String date = fresh ? SENT.format(Instant.ofEpochSecond(sent).atOffset(ZoneOffset.UTC)) : DATES[d];
        var text = new StringBuilder();
        header(text, "Subject", subject);
        header(text, "From", from);
        header(text, "Date", date);
        text.append("\r\nbody\r\n");
        var when = LocalDateTime.ofEpochSecond(internal, 0, ZoneOffset.UTC).atOffset(ZoneOffset.UTC).format(INTERNAL);
        var response = session.append("INBOX", "() \"" + when + "\"", text.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(response.ok(), response.toString());
        mails.add(new Mail(uid(APPENDUID, response.tagged()), subject, from, date,
                fresh ? subject.toUpperCase(Locale.ROOT) : SUBJECT_KEYS[s],
                fresh ? "F" + unique : FROM_KEYS[f], date == null ? internal : sent, internal, false));
    }

    private static void header(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append(name).append(": ").append(value).append("\r\n");
        }
    }

    private static long uid(Pattern code, String tagged) {
        var m = code.matcher(tagged);
        assertTrue(m.find(), tagged);
        return Long.parseLong(m.group(1));
    }

    /** Every key, both ways, over all messages and the flagged and unflagged ones, as sequence numbers and UIDs. */
    private void compareSorts(String when) throws IOException {
        for (var key : KEYS) {
            for (boolean reverse : new boolean[] {false, true}) {
                var criterion = (reverse ? "REVERSE " : "") + key.name();
                assertEquals(expected(key, reverse, m -> true, false), sort("UID SORT", criterion, "ALL"),
                        when + ": UID SORT (" + criterion + ") ALL");
                assertEquals(expected(key, reverse, m -> true, true), sort("SORT", criterion, "ALL"),
                        when + ": SORT (" + criterion + ") ALL");
                assertEquals(expected(key, reverse, Mail::flagged, true), sort("SORT", criterion, "FLAGGED"),
                        when + ": SORT (" + criterion + ") FLAGGED");
                assertEquals(expected(key, reverse, m -> !m.flagged(), false), sort("UID SORT", criterion, "UNFLAGGED"),
                        when + ": UID SORT (" + criterion + ") UNFLAGGED");
            }
        }
    }

    /** Criteria after a kept first one (its runs of ties sorted by the rest) and ESORT's MIN, MAX and COUNT. */
    private void compareMoreCriteria(String when) throws IOException {
        int[][] pairs = {{2, 0}, {1, 3}, {0, 1}, {3, 2}};
        for (var pair : pairs) {
            for (int reversed = 0; reversed < 4; reversed++) {
                var first = KEYS.get(pair[0]);
                var second = KEYS.get(pair[1]);
                boolean firstReversed = (reversed & 1) != 0;
                boolean secondReversed = (reversed & 2) != 0;
                var criteria = (firstReversed ? "REVERSE " : "") + first.name() + " "
                        + (secondReversed ? "REVERSE " : "") + second.name();
                var order = (firstReversed ? first.order().reversed() : first.order())
                        .thenComparing(secondReversed ? second.order().reversed() : second.order());
                assertEquals(expected(order, m -> true, true), sort("SORT", criteria, "ALL"), when + ": " + criteria);
                assertEquals(expected(order, Mail::flagged, false), sort("UID SORT", criteria, "FLAGGED"),
                        when + ": " + criteria + " FLAGGED");
            }
        }
        for (var key : KEYS) {
            var sorted = expected(key.order().reversed(), m -> !m.flagged(), false);
            var uids = sorted.equals("* SORT") ? new String[0] : sorted.substring(7).split(" ");
            var esearch = c.expectOk("UID SORT RETURN (MIN MAX COUNT) (REVERSE " + key.name() + ") UTF-8 UNFLAGGED")
                    .untagged("ESEARCH");
            var expected = uids.length == 0 ? "UID COUNT 0" : "MIN " + uids[0] + " MAX " + uids[uids.length - 1]
                    + " COUNT " + uids.length;
            assertEquals(1, esearch.size(), esearch.toString());
            assertTrue(esearch.getFirst().contains(expected), when + ": " + esearch + " should hold " + expected);
        }
    }

    private String sort(String command, String criterion, String search) throws IOException {
        var untagged = c.expectOk(command + " (" + criterion + ") UTF-8 " + search).untagged("SORT");
        assertEquals(1, untagged.size(), untagged.toString());
        return untagged.getFirst();
    }

    private String expected(Key key, boolean reverse, Predicate<Mail> found, boolean sequenceNumbers) {
        return expected(reverse ? key.order().reversed() : key.order(), found, sequenceNumbers);
    }

    private String expected(Comparator<Mail> byKeys, Predicate<Mail> found, boolean sequenceNumbers) {
        Comparator<Integer> bySeq = (a, b) -> byKeys.compare(mails.get(a - 1), mails.get(b - 1));
        var order = IntStream.rangeClosed(1, mails.size()).boxed().filter(seq -> found.test(mails.get(seq - 1)))
                .sorted(bySeq.thenComparing(Comparator.naturalOrder()))
                .map(seq -> sequenceNumbers ? seq.toString() : Long.toString(mails.get(seq - 1).uid()))
                .collect(Collectors.joining(" "));
        return order.isEmpty() ? "* SORT" : "* SORT " + order;
    }
}
