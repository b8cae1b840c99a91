package org.roost.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks what one simulated client sees, exchange by exchange, against what IMAP promises
 * (RFC 3501 §2.3.1.1 UIDs, §7.4.1 EXPUNGE, §6.4.6 STORE; RFC 4315 APPENDUID/COPYUID; RFC 6851 MOVE):
 * <ul>
 * <li>UIDs are never reused: a UID the server assigns (APPENDUID, COPYUID) is above every UID seen
 *     before in that mailbox, and an expunged UID never shows up again;</li>
 * <li>the sequence-number map stays coherent: a FETCH never names a sequence number beyond the
 *     count, never gives one message two UIDs, EXISTS never shrinks without EXPUNGE;</li>
 * <li>flags are as set: a STORE answers with FETCH FLAGS that contain what was added and not what
 *     was removed;</li>
 * <li>no duplicate or lost EXPUNGE: EXPUNGE removes exactly the \Deleted messages and MOVE exactly
 *     the moved ones.</li>
 * </ul>
 * With {@code exclusive} (only this client touches its mailboxes, as in the {@code mixed}
 * scenario) it also holds the server to the flags it last reported and to exact EXPUNGE sets.
 * Violations are collected, not thrown, so a load run reports all of them at the end.
 * One checker follows one client across its reconnects; it is not thread-safe.
 */
public final class ConsistencyChecker {
    private static final Pattern UNTAGGED_NUMBER = Pattern.compile("^\\* (\\d+) (EXISTS|EXPUNGE|FETCH)\\b(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UID_ITEM = Pattern.compile("[ (]UID (\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FLAGS_ITEM = Pattern.compile("[ (]FLAGS \\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UIDVALIDITY = Pattern.compile("\\[UIDVALIDITY (\\d+)]", Pattern.CASE_INSENSITIVE);
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)]", Pattern.CASE_INSENSITIVE);
    private static final Pattern COPYUID = Pattern.compile("\\[COPYUID (\\d+) ([0-9:,]+) ([0-9:,]+)]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STORE = Pattern.compile("^UID STORE ([0-9:,]+) ([+-]?)FLAGS(\\.SILENT)? \\(([^)]*)\\)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COPY_OR_MOVE = Pattern.compile("^UID (COPY|MOVE) ([0-9:,]+) (.+)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern APPEND_TO = Pattern.compile("^APPEND (\"[^\"]*\"|\\S+)", Pattern.CASE_INSENSITIVE);
    private static final int MAX_KEPT = 200;

    /** What this client has learnt about one mailbox, kept across SELECTs and reconnects. */
    private static final class Ledger {
        long uidValidity;
        long highestUid;
        final Set<Long> expunged = new HashSet<>();
        final Map<Long, Set<String>> flags = new HashMap<>();
    }

    private final boolean exclusive;
    private final Map<String, Ledger> ledgers = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int violationCount;
    private String selected;
    private Ledger current;
    /** Sequence number - 1 → UID; 0 while the UID is not yet known. */
    private final List<Long> uids = new ArrayList<>();

    public ConsistencyChecker(boolean exclusive) {
        this.exclusive = exclusive;
    }

    /** The first violations found (at most {@value #MAX_KEPT}). */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    public int violationCount() {
        return violationCount;
    }

    /** The connection was closed: nothing is selected any more (what was learnt stays). */
    public void disconnected() {
        selected = null;
        current = null;
        uids.clear();
    }

    /** The UIDs of the selected mailbox as this client knows them (0 = not yet fetched). */
    public List<Long> knownUids() {
        return List.copyOf(uids);
    }

    /** The flags the server last reported for {@code uid} of the selected mailbox. */
    public Set<String> flagsOf(long uid) {
        return current == null ? Set.of() : current.flags.getOrDefault(uid, Set.of());
    }

    public String selected() {
        return selected;
    }

    /** Reads one exchange; afterwards the client's view includes it. */
    public void observe(Exchange e) {
        String command = e.command().trim();
        String upper = command.toUpperCase(Locale.ROOT);
        boolean selecting = upper.startsWith("SELECT ") || upper.startsWith("EXAMINE ");
        if (selecting) {
            if (e.ok()) {
                select(command.substring(command.indexOf(' ') + 1), e);
            } else {
                disconnected(); // RFC 3501 §6.3.1: a failed SELECT leaves no mailbox selected
            }
            return;
        }
        boolean expunging = upper.equals("EXPUNGE") || upper.startsWith("UID EXPUNGE ");
        Set<Long> deletedBefore = expunging ? deletedUids() : Set.of();
        var seen = new Seen();
        for (String line : e.untagged()) {
            untagged(command, line, seen);
        }
        if (upper.startsWith("UID STORE ") && e.ok()) {
            store(command, seen);
        } else if ((upper.equals("EXPUNGE") || upper.startsWith("UID EXPUNGE ")) && e.ok()) {
            expunge(command, upper, deletedBefore, seen);
        } else if (upper.startsWith("UID COPY ") || upper.startsWith("UID MOVE ")) {
            copyOrMove(command, e, seen);
        } else if (upper.startsWith("APPEND ") && e.ok()) {
            append(command, e);
        } else if (upper.equals("UID SEARCH UNSEEN") && e.ok()) {
            searchUnseen(command, e);
        }
        if ((upper.equals("CLOSE") || upper.equals("UNSELECT")) && e.ok()) {
            disconnected();
        }
    }

    /** What the untagged lines of one exchange said, for the command-specific checks. */
    private static final class Seen {
        final Map<Long, Set<String>> flags = new LinkedHashMap<>();
        final List<Long> expunged = new ArrayList<>();
        int unknownExpunged;
        final List<String> copyUid = new ArrayList<>();
    }

    private void select(String name, Exchange e) {
        String key = mailboxKey(name);
        selected = key;
        current = ledgers.computeIfAbsent(key, k -> new Ledger());
        uids.clear();
        long validity = 0;
        for (String line : e.untagged()) {
            Matcher m = UNTAGGED_NUMBER.matcher(line);
            if (m.matches() && m.group(2).equalsIgnoreCase("EXISTS")) {
                grow(Integer.parseInt(m.group(1)));
            }
            Matcher v = UIDVALIDITY.matcher(line);
            if (v.find()) {
                validity = Long.parseLong(v.group(1));
            }
        }
        if (validity != 0) {
            if (current.uidValidity != 0 && current.uidValidity != validity) {
                violation(e.command(), "UIDVALIDITY changed from " + current.uidValidity + " to " + validity
                        + ": every UID the client knew is void");
                ledgers.put(key, current = new Ledger());
            }
            current.uidValidity = validity;
        }
    }

    private void untagged(String command, String line, Seen seen) {
        Matcher copy = COPYUID.matcher(line);
        if (copy.find()) {
            seen.copyUid.add(line);
        }
        Matcher m = UNTAGGED_NUMBER.matcher(line);
        if (!m.matches() || current == null) {
            return;
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "EXISTS" -> {
                if (n < uids.size()) {
                    violation(command, "EXISTS " + n + " below the " + uids.size() + " messages known: a message vanished without EXPUNGE");
                }
                grow(n);
            }
            case "EXPUNGE" -> {
                if (n < 1 || n > uids.size()) {
                    violation(command, "EXPUNGE of sequence " + n + " but only " + uids.size() + " messages exist (duplicate EXPUNGE?)");
                    return;
                }
                long uid = uids.remove((int) n - 1);
                if (uid == 0) {
                    seen.unknownExpunged++;
                    return;
                }
                if (!current.expunged.add(uid)) {
                    violation(command, "UID " + uid + " expunged twice");
                }
                current.flags.remove(uid);
                seen.expunged.add(uid);
            }
            default -> fetch(command, (int) n, m.group(3), seen);
        }
    }

    private void fetch(String command, int seq, String items, Seen seen) {
        if (seq < 1 || seq > uids.size()) {
            violation(command, "FETCH for sequence " + seq + " but only " + uids.size() + " messages exist");
            return;
        }
        Matcher u = UID_ITEM.matcher(items);
        long uid = uids.get(seq - 1);
        if (u.find()) {
            long reported = Long.parseLong(u.group(1));
            if (uid != 0 && uid != reported) {
                violation(command, "sequence " + seq + " was UID " + uid + ", now the server says UID " + reported);
            }
            if (current.expunged.contains(reported)) {
                violation(command, "expunged UID " + reported + " is back (UIDs must never be reused)");
            }
            checkOrder(command, seq, reported);
            uid = reported;
            uids.set(seq - 1, uid);
            current.highestUid = Math.max(current.highestUid, uid);
        }
        Matcher f = FLAGS_ITEM.matcher(items);
        if (f.find() && uid != 0) {
            Set<String> flags = flagSet(f.group(1));
            boolean storeReply = command.toUpperCase(Locale.ROOT).startsWith("UID STORE ");
            Set<String> expected = current.flags.get(uid);
            if (exclusive && !storeReply && expected != null && !withoutRecent(expected).equals(withoutRecent(flags))) {
                violation(command, "UID " + uid + " has FLAGS " + flags + " but the last STORE/FETCH left " + expected);
            }
            current.flags.put(uid, flags);
            seen.flags.put(uid, flags);
        }
    }

    /** UIDs ascend with sequence numbers (RFC 3501 §2.3.1.1). */
    private void checkOrder(String command, int seq, long uid) {
        for (int i = seq - 2; i >= 0; i--) {
            long before = uids.get(i);
            if (before != 0) {
                if (before >= uid) {
                    violation(command, "UID " + uid + " at sequence " + seq + " is not above UID " + before + " at " + (i + 1));
                }
                break;
            }
        }
        for (int i = seq; i < uids.size(); i++) {
            long after = uids.get(i);
            if (after != 0) {
                if (after <= uid) {
                    violation(command, "UID " + uid + " at sequence " + seq + " is not below UID " + after + " at " + (i + 1));
                }
                break;
            }
        }
    }

    private void store(String command, Seen seen) {
        Matcher m = STORE.matcher(command);
        if (!m.matches() || current == null) {
            return;
        }
        Set<String> given = flagSet(m.group(4));
        boolean silent = m.group(3) != null;
        for (long uid : UidSets.parse(m.group(1))) {
            if (!uids.contains(uid)) {
                continue;
            }
            Set<String> before = current.flags.get(uid);
            Set<String> reported = seen.flags.get(uid);
            if (reported == null) {
                // A server may stay silent when nothing changed (Dovecot does); a real change must be reported.
                if (before == null) {
                    continue;
                }
                Set<String> after = applied(before, m.group(2), given);
                if (!silent && !withoutRecent(after).equals(withoutRecent(before))) {
                    violation(command, "UID STORE changed the flags of UID " + uid + " but got no FETCH FLAGS");
                }
                current.flags.put(uid, after);
                continue;
            }
            switch (m.group(2)) {
                case "+" -> {
                    if (!reported.containsAll(given)) {
                        violation(command, "UID " + uid + " reports FLAGS " + reported + " after adding " + given);
                    }
                }
                case "-" -> {
                    for (String flag : given) {
                        if (reported.contains(flag)) {
                            violation(command, "UID " + uid + " still has " + flag + " after removing it");
                        }
                    }
                }
                default -> {
                    if (!withoutRecent(reported).equals(withoutRecent(given))) {
                        violation(command, "UID " + uid + " reports FLAGS " + reported + " after setting " + given);
                    }
                }
            }
        }
    }

    private static Set<String> applied(Set<String> before, String mode, Set<String> given) {
        var after = new TreeSet<>(before);
        switch (mode) {
            case "+" -> after.addAll(given);
            case "-" -> after.removeAll(given);
            default -> {
                after.retainAll(Set.of("\\RECENT"));
                after.addAll(given);
            }
        }
        return after;
    }

    private Set<Long> deletedUids() {
        var deleted = new TreeSet<Long>();
        if (current != null) {
            for (long uid : uids) {
                if (current.flags.getOrDefault(uid, Set.of()).contains("\\DELETED")) {
                    deleted.add(uid);
                }
            }
        }
        return deleted;
    }

    private void expunge(String command, String upper, Set<Long> deletedBefore, Seen seen) {
        if (!exclusive || current == null) {
            return;
        }
        var expected = new TreeSet<>(deletedBefore);
        if (upper.startsWith("UID EXPUNGE ")) {
            expected.retainAll(new HashSet<>(UidSets.parse(command.substring(12).trim())));
        }
        compareRemoved(command, "\\Deleted", expected, seen);
    }

    private void compareRemoved(String command, String why, Set<Long> expected, Seen seen) {
        var got = new TreeSet<>(seen.expunged);
        if (seen.unknownExpunged > 0) {
            return;
        }
        var lost = new TreeSet<>(expected);
        lost.removeAll(got);
        var extra = new TreeSet<>(got);
        extra.removeAll(expected);
        if (!lost.isEmpty()) {
            violation(command, "lost EXPUNGE: UIDs " + lost + " (" + why + ") were not reported expunged");
        }
        if (!extra.isEmpty()) {
            violation(command, "unexpected EXPUNGE of UIDs " + extra + " (not " + why + ")");
        }
    }

    private void copyOrMove(String command, Exchange e, Seen seen) {
        Matcher m = COPY_OR_MOVE.matcher(command);
        if (!m.matches()) {
            return;
        }
        boolean move = m.group(1).equalsIgnoreCase("MOVE");
        if (move && exclusive && e.ok()) {
            var expected = new TreeSet<Long>();
            for (long uid : UidSets.parse(m.group(2))) {
                if (uids.contains(uid) || seen.expunged.contains(uid)) {
                    expected.add(uid);
                }
            }
            compareRemoved(command, "moved", expected, seen);
        }
        Ledger target = ledgers.computeIfAbsent(mailboxKey(m.group(3)), k -> new Ledger());
        var lines = new ArrayList<>(seen.copyUid);
        lines.add(e.tagged());
        for (String line : lines) {
            Matcher c = COPYUID.matcher(line);
            if (c.find()) {
                assigned(command, target, Long.parseLong(c.group(1)), UidSets.parse(c.group(3)));
            }
        }
    }

    private void append(String command, Exchange e) {
        Matcher to = APPEND_TO.matcher(command);
        Matcher a = APPENDUID.matcher(e.tagged());
        if (to.find() && a.find()) {
            Ledger target = ledgers.computeIfAbsent(mailboxKey(to.group(1)), k -> new Ledger());
            assigned(command, target, Long.parseLong(a.group(1)), UidSets.parse(a.group(2)));
        }
    }

    /** New UIDs from APPENDUID/COPYUID: each above everything seen so far in that mailbox. */
    private void assigned(String command, Ledger target, long validity, List<Long> newUids) {
        if (target.uidValidity != 0 && target.uidValidity != validity) {
            violation(command, "UIDVALIDITY " + validity + " in the response code, " + target.uidValidity + " at SELECT");
            return;
        }
        target.uidValidity = validity;
        for (long uid : newUids) {
            if (uid <= target.highestUid || target.expunged.contains(uid)) {
                violation(command, "assigned UID " + uid + " is not above UID " + target.highestUid
                        + " already seen: a UID was reused or went backwards");
            }
            target.highestUid = Math.max(target.highestUid, uid);
        }
    }

    /** {@code UID SEARCH UNSEEN} must list exactly the known messages without \Seen. */
    private void searchUnseen(String command, Exchange e) {
        if (!exclusive || current == null || uids.contains(0L)) {
            return;
        }
        var expected = new TreeSet<Long>();
        for (long uid : uids) {
            Set<String> flags = current.flags.get(uid);
            if (flags == null) {
                return;
            }
            if (!flags.contains("\\SEEN")) {
                expected.add(uid);
            }
        }
        var got = new TreeSet<Long>();
        for (String line : e.untagged()) {
            if (line.regionMatches(true, 0, "* SEARCH", 0, 8)) {
                for (String n : line.substring(8).trim().split(" +")) {
                    if (!n.isEmpty()) {
                        got.add(Long.parseLong(n));
                    }
                }
            }
        }
        if (!got.equals(expected)) {
            violation(command, "UNSEEN answered " + got + " but the flags seen say " + expected);
        }
    }

    private void grow(long count) {
        while (uids.size() < count) {
            uids.add(0L);
        }
    }

    private static Set<String> flagSet(String text) {
        var flags = new TreeSet<String>();
        for (String f : text.trim().split(" +")) {
            if (!f.isEmpty()) {
                flags.add(f.toUpperCase(Locale.ROOT));
            }
        }
        return flags;
    }

    private static Set<String> withoutRecent(Set<String> flags) {
        var copy = new TreeSet<>(flags);
        copy.remove("\\RECENT");
        return copy;
    }

    private static String mailboxKey(String name) {
        String unquoted = name.trim();
        if (unquoted.length() >= 2 && unquoted.startsWith("\"") && unquoted.endsWith("\"")) {
            unquoted = unquoted.substring(1, unquoted.length() - 1);
        }
        return unquoted.equalsIgnoreCase("INBOX") ? "INBOX" : unquoted;
    }

    private void violation(String command, String problem) {
        violationCount++;
        if (violations.size() < MAX_KEPT) {
            violations.add(command + ": " + problem);
        }
    }
}
