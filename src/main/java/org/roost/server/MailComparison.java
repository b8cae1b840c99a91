package org.roost.server;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNames;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;

/**
 * {@code roost migrate --verify}: one user's mail in two stores compared as a client would see it: the same
 * selectable mailboxes, each with the same UIDVALIDITY, and the same messages under the same UIDs with the same
 * flags, keywords, internal date (to the second), save date (when the copy keeps it), size and bytes.
 */
final class MailComparison {
    private final MailStore from;
    private final MailStore to;
    private final boolean saveDates;
    private final int maxDifferences;
    private final List<String> differences = new ArrayList<>();
    private long messages;

    private MailComparison(MailStore from, MailStore to, boolean saveDates, int maxDifferences) {
        this.from = from;
        this.to = to;
        this.saveDates = saveDates;
        this.maxDifferences = maxDifferences;
    }

    /**
     * What differs (at most {@code maxDifferences} lines) and how many messages were compared; with
     * {@code saveDates}, save dates too (where {@code to} keeps those it was given: the database).
     */
    record Result(List<String> differences, long messages) {}

    static Result compare(MailStore from, MailStore to, boolean saveDates, int maxDifferences) throws IOException {
        var comparison = new MailComparison(from, to, saveDates, maxDifferences);
        comparison.run();
        return new Result(List.copyOf(comparison.differences), comparison.messages);
    }

    /** {@code name} of a store with {@code from}'s delimiter as the store with {@code to}'s names it; null if none can. */
    static String rename(String name, char from, char to) {
        if (from == to || name.equals(MailboxNames.INBOX)) {
            return name;
        }
        return name.indexOf(to) >= 0 ? null : name.replace(from, to);
    }

    private void run() throws IOException {
        var targets = new HashMap<String, Boolean>();
        for (var info : to.list()) {
            targets.put(info.name(), info.selectable());
        }
        for (var info : from.list()) {
            if (!info.selectable() || full()) {
                continue;
            }
            var name = rename(info.name(), from.delimiter(), to.delimiter());
            if (name == null || !targets.getOrDefault(name, false)) {
                differ(info.name() + ": missing on the other side");
                continue;
            }
            targets.remove(name);
            compare(info, from.mailbox(info.name()), to.mailbox(name));
        }
        targets.forEach((name, selectable) -> {
            if (selectable && !name.equals(MailboxNames.INBOX)) {
                differ(name + ": only on the other side");
            }
        });
    }

    private void compare(MailboxInfo info, MailboxStore a, MailboxStore b) throws IOException {
        var left = a.scan();
        var right = b.scan();
        if (a.uidValidity() != b.uidValidity()) {
            differ(info.name() + ": UIDVALIDITY " + a.uidValidity() + " and " + b.uidValidity());
            return;
        }
        Map<Long, StoredMessage> others = new HashMap<>();
        right.forEach(m -> others.put(m.uid(), m));
        for (var listed : left) {
            messages++;
            var found = others.remove(listed.uid());
            var what = info.name() + " UID " + listed.uid();
            if (found == null) {
                differ(what + ": missing on the other side");
                continue;
            }
            var message = stated(a, listed);
            var other = stated(b, found);
            if (!message.flags().equals(other.flags()) || !message.keywords().equals(other.keywords())) {
                differ(what + ": flags " + message.flags() + message.keywords() + " and " + other.flags()
                        + other.keywords());
            } else if (message.internalDate().getEpochSecond() != other.internalDate().getEpochSecond()) {
                differ(what + ": internal date " + message.internalDate() + " and " + other.internalDate());
            } else if (saveDates && !savedAlike(a.saveDate(message), b.saveDate(other))) {
                differ(what + ": save date " + a.saveDate(message) + " and " + b.saveDate(other));
            } else if (!Arrays.equals(digest(a, message), digest(b, other))) {
                differ(what + ": the bytes differ");
            }
            if (full()) {
                return;
            }
        }
        others.keySet().stream().sorted().forEach(uid -> differ(info.name() + " UID " + uid + ": only on the other side"));
    }

    /** The same second, unless the source keeps none (an mbox): then the copy's is its own. */
    private static boolean savedAlike(Instant source, Instant copy) {
        return source == null || copy != null && source.getEpochSecond() == copy.getEpochSecond();
    }

    private static StoredMessage stated(MailboxStore mailbox, StoredMessage message) throws IOException {
        return message.fileStatusKnown() ? message : mailbox.stat(message);
    }

    private static byte[] digest(MailboxStore mailbox, StoredMessage message) throws IOException {
        try (var in = new DigestInputStream(mailbox.open(message), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.getMessageDigest().digest();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private void differ(String difference) {
        if (!full()) {
            differences.add(difference);
        }
    }

    private boolean full() {
        return differences.size() >= maxDifferences;
    }
}
