package org.roost.mail.sort;

import java.util.BitSet;
import java.util.HashMap;
import java.util.function.IntToLongFunction;

/**
 * The thread keys of a list of messages as primitive columns, row i the i-th message: sent date,
 * base subject as a rank (equal subjects share one; 0 is the empty subject, and ranks follow
 * {@link Casemap#compare}), whether the subject was a reply or forward, and the Message-ID and
 * references as numbers (equal IDs share one, -1 is no ID). Numbering the IDs when the keys are
 * made means no hash can collide and threading compares ints; a mailbox keeps them for every
 * message (about 25 bytes a message plus 4 a reference) and threads a {@link #select selection}.
 */
public final class ThreadKeys {
    /** The number of a message without a valid Message-ID, and of a row a selection misses. */
    public static final int NONE = -1;
    private final long[] sentDates;
    private final int[] subjects;
    private final BitSet replies;
    private final int[] messageIds;
    /** Row i's references are {@code references[referenceStarts[i] .. referenceStarts[i + 1])}. */
    private final int[] referenceStarts;
    private final int[] references;
    private final int idCount;
    private final int subjectCount;

    private ThreadKeys(long[] sentDates, int[] subjects, BitSet replies, int[] messageIds, int[] referenceStarts,
            int[] references, int idCount, int subjectCount) {
        this.sentDates = sentDates;
        this.subjects = subjects;
        this.replies = replies;
        this.messageIds = messageIds;
        this.referenceStarts = referenceStarts;
        this.references = references;
        this.idCount = idCount;
        this.subjectCount = subjectCount;
    }

    /** The keys of these messages, row i from {@code facts[i]}. */
    public static ThreadKeys of(ThreadFacts[] facts) {
        int n = facts.length;
        var ids = new HashMap<String, Integer>();
        var sentDates = new long[n];
        var replies = new BitSet(n);
        var messageIds = new int[n];
        var referenceStarts = new int[n + 1];
        int referenceCount = 0;
        for (var f : facts) {
            referenceCount += f.references().size();
        }
        var references = new int[referenceCount];
        int r = 0;
        for (int i = 0; i < n; i++) {
            sentDates[i] = facts[i].sentDate();
            replies.set(i, facts[i].subject().replyOrForward());
            var id = facts[i].messageId();
            messageIds[i] = id == null ? NONE : ids.computeIfAbsent(id, k -> ids.size());
            referenceStarts[i] = r;
            for (var reference : facts[i].references()) {
                references[r++] = ids.computeIfAbsent(reference, k -> ids.size());
            }
        }
        referenceStarts[n] = r;
        var subjects = new int[n];
        int subjectCount = rankSubjects(facts, subjects);
        return new ThreadKeys(sentDates, subjects, replies, messageIds, referenceStarts, references, ids.size(),
                subjectCount);
    }

    /** Ranks the base subjects into {@code ranks}, the empty one 0; returns one more than the highest rank. */
    private static int rankSubjects(ThreadFacts[] facts, int[] ranks) {
        var order = IntSort.identity(facts.length);
        IntSort.sort(order, (a, b) -> Casemap.compare(facts[a].subject().text(), facts[b].subject().text()));
        int rank = 0;
        String previous = "";
        for (int row : order) {
            var text = facts[row].subject().text();
            if (!text.equals(previous)) {
                rank++;
                previous = text;
            }
            ranks[row] = rank;
        }
        return rank + 1;
    }

    /**
     * The keys of the rows {@code rows} (row i of the result is {@code rows[i]} of these); a row
     * {@link #NONE} is a message these keys miss (expunged before they were made), which gets no
     * subject, ID or references and {@code missingDates.applyAsLong(i)} as its date.
     */
    public ThreadKeys select(int[] rows, IntToLongFunction missingDates) {
        int n = rows.length;
        var selectedDates = new long[n];
        var selectedSubjects = new int[n];
        var selectedReplies = new BitSet(n);
        var selectedIds = new int[n];
        var selectedStarts = new int[n + 1];
        int count = 0;
        for (int row : rows) {
            count += row == NONE ? 0 : referenceStarts[row + 1] - referenceStarts[row];
        }
        var selectedReferences = new int[count];
        int r = 0;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            selectedStarts[i] = r;
            if (row == NONE) {
                selectedDates[i] = missingDates.applyAsLong(i);
                selectedIds[i] = NONE;
                continue;
            }
            selectedDates[i] = sentDates[row];
            selectedSubjects[i] = subjects[row];
            selectedReplies.set(i, replies.get(row));
            selectedIds[i] = messageIds[row];
            int length = referenceStarts[row + 1] - referenceStarts[row];
            System.arraycopy(references, referenceStarts[row], selectedReferences, r, length);
            r += length;
        }
        selectedStarts[n] = r;
        return new ThreadKeys(selectedDates, selectedSubjects, selectedReplies, selectedIds, selectedStarts,
                selectedReferences, idCount, subjectCount);
    }

    public int size() {
        return sentDates.length;
    }

    public long sentDate(int row) {
        return sentDates[row];
    }

    /** The rank of the base subject: equal subjects have equal ranks, 0 is the empty subject. */
    public int subject(int row) {
        return subjects[row];
    }

    /** One more than the highest subject rank. */
    public int subjectCount() {
        return subjectCount;
    }

    public boolean replyOrForward(int row) {
        return replies.get(row);
    }

    /** The number of the Message-ID, or {@link #NONE}. */
    public int messageId(int row) {
        return messageIds[row];
    }

    public int referenceCount(int row) {
        return referenceStarts[row + 1] - referenceStarts[row];
    }

    /** The number of the {@code i}-th reference, 0 the first (oldest). */
    public int reference(int row, int i) {
        return references[referenceStarts[row] + i];
    }

    /** One more than the highest ID number. */
    public int idCount() {
        return idCount;
    }

    public long heapBytes() {
        return 64 + 8L * sentDates.length + 4L * (subjects.length + messageIds.length + referenceStarts.length
                + references.length) + sentDates.length / 8;
    }
}
