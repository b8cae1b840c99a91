package org.roost.mail.sort;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;

/**
 * The thread keys of a list of messages as primitive columns, row i the i-th message: sent date,
 * base subject as a number (equal subjects share one; 0 is the empty subject; a making numbers them
 * in {@link Casemap#compare}'s order, rows {@link #plus added} later take the next free numbers, and
 * nothing depends on the order), whether the subject was a reply or forward, and the Message-ID and
 * references as numbers (equal IDs share one, -1 is no ID). Numbering the IDs when the keys are
 * made means no hash can collide and threading compares ints; a mailbox keeps them for every
 * message and threads a {@link #select selection}. Each column is packed ({@link PackedLongs}): for a
 * million messages about 12 bytes a message plus 2.6 a reference.
 */
public final class ThreadKeys {
    /** The number of a message without a valid Message-ID, and of a row a selection misses. */
    public static final int NONE = -1;

    /** What the numbers stand for: base subjects, or Message-IDs (those of messages and of their references). */
    public enum Column { SUBJECT, ID }

    /** Told what each number stands for as the keys are made: its string's {@link KeyRanker#key}, ascending. */
    @FunctionalInterface
    public interface Names {
        /** The key is {@code key[0 .. length)}, valid only during the call. */
        void name(Column column, int number, byte[] key, int length) throws IOException;
    }

    /** One message's keys as numbers, to be {@link #plus added} to keys whose numbers they share. */
    public record Row(long sentDate, int subject, boolean replyOrForward, int messageId, int[] references) {}

    /**
     * Old numbers to new ones ({@link #NONE} for a number no row kept uses): the numbers still used,
     * counted from 0 in their order, the empty subject staying 0.
     */
    public record Renumbering(int[] subjects, int subjectCount, int[] ids, int idCount) {}
    private final PackedLongs sentDates;
    private final PackedLongs subjects;
    private final BitSet replies;
    private final PackedLongs messageIds;
    /** Row i's references are {@code references[referenceStarts[i] .. referenceStarts[i + 1])}. */
    private final PackedLongs referenceStarts;
    private final PackedLongs references;
    private final int idCount;
    private final int subjectCount;

    private ThreadKeys(PackedLongs sentDates, PackedLongs subjects, BitSet replies, PackedLongs messageIds,
            PackedLongs referenceStarts, PackedLongs references, int idCount, int subjectCount) {
        this.sentDates = sentDates;
        this.subjects = subjects;
        this.replies = replies;
        this.messageIds = messageIds;
        this.referenceStarts = referenceStarts;
        this.references = references;
        this.idCount = idCount;
        this.subjectCount = subjectCount;
    }

    private ThreadKeys(long[] sentDates, int[] subjects, BitSet replies, int[] messageIds, int[] referenceStarts,
            int[] references, int idCount, int subjectCount) {
        this(PackedLongs.of(sentDates), PackedLongs.of(subjects), replies, PackedLongs.of(messageIds),
                PackedLongs.of(referenceStarts), PackedLongs.of(references), idCount, subjectCount);
    }

    /** Writes these keys as {@link #read} reads them back. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(idCount);
        out.writeInt(subjectCount);
        sentDates.write(out);
        subjects.write(out);
        messageIds.write(out);
        referenceStarts.write(out);
        out.writeInt(references.size());
        references.write(out);
        var words = replies.toLongArray();
        out.writeInt(words.length);
        for (long word : words) {
            out.writeLong(word);
        }
    }

    /**
     * The keys of {@code size} rows that {@link #write} wrote, in no more than {@code maxBytes}; an
     * {@link IOException} for anything else, and for any number out of its bounds (an ID or subject
     * beyond the count, references not in order), so that threading never meets one.
     */
    public static ThreadKeys read(DataInput in, int size, long maxBytes) throws IOException {
        int idCount = in.readInt();
        int subjectCount = in.readInt();
        var sentDates = PackedLongs.read(in, size, maxBytes);
        var subjects = PackedLongs.read(in, size, maxBytes);
        var messageIds = PackedLongs.read(in, size, maxBytes);
        var referenceStarts = PackedLongs.read(in, size + 1, maxBytes);
        int referenceCount = in.readInt();
        if (idCount < 0 || subjectCount < 1 || referenceCount < 0) {
            throw new IOException("counts out of bounds");
        }
        var references = PackedLongs.read(in, referenceCount, maxBytes);
        int words = in.readInt();
        if (words < 0 || words > (size + 63) / 64) {
            throw new IOException("a reply column of " + words + " words");
        }
        var replyWords = new long[words];
        for (int i = 0; i < words; i++) {
            replyWords[i] = in.readLong();
        }
        var keys = new ThreadKeys(sentDates, subjects, BitSet.valueOf(replyWords), messageIds, referenceStarts,
                references, idCount, subjectCount);
        keys.check();
        return keys;
    }

    private void check() throws IOException {
        int n = size();
        if (referenceStarts.getInt(0) != 0 || referenceStarts.get(n) != references.size()) {
            throw new IOException("references do not add up");
        }
        for (int row = 0; row < n; row++) {
            if (referenceStarts.get(row) > referenceStarts.get(row + 1) || subjects.get(row) < 0
                    || subjects.get(row) >= subjectCount || messageIds.get(row) < NONE
                    || messageIds.get(row) >= idCount) {
                throw new IOException("row " + row + " out of bounds");
            }
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i) < 0 || references.get(i) >= idCount) {
                throw new IOException("reference " + i + " out of bounds");
            }
        }
    }

    /** The keys of these messages, row i from {@code facts[i]} (the runs, if any, in the temporary directory). */
    public static ThreadKeys of(ThreadFacts[] facts) {
        try (var builder = new Builder(facts.length, Path.of(System.getProperty("java.io.tmpdir")),
                KeyRanker.RUN_BYTES)) {
            for (int i = 0; i < facts.length; i++) {
                builder.set(i, facts[i]);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes the keys of {@code n} messages row by row, from several threads at once, in bounded memory:
     * subjects and IDs go to a {@link KeyRanker} as they come (a few MB of them in its buffer, the rest
     * in run files), and are numbered when all are in: subjects by rank, IDs in their order (the order is
     * of no matter: a number only stands for its ID). What is held per message meanwhile is its date,
     * whether it replies, and where its references are.
     */
    public static final class Builder implements Closeable {
        private static final int SUBJECTS = Column.SUBJECT.ordinal();
        private static final int IDS = Column.ID.ordinal();
        private final KeyRanker ranker;
        private final long[] sentDates;
        private final boolean[] replies;
        /** Row i's own ID is ID key i; its references are ID keys n + firstReference[i] and the referenceCount[i] - 1 after it. */
        private final int[] firstReference;
        private final int[] referenceCount;
        private final AtomicInteger nextReference = new AtomicInteger();

        /** {@code runs}: where the ranker's run file goes; {@code runBytes}: what it holds in one run in memory. */
        public Builder(int n, Path runs, int runBytes) throws IOException {
            ranker = new KeyRanker(runs, runBytes);
            sentDates = new long[n];
            replies = new boolean[n];
            firstReference = new int[n];
            referenceCount = new int[n];
            ranker.add(SUBJECTS, n, KeyRanker.key("")); // the empty subject ranks 0, whether a message has it or not
        }

        /** Row {@code row} from {@code facts}; each row once, any thread. */
        public void set(int row, ThreadFacts facts) throws IOException {
            sentDates[row] = facts.sentDate();
            replies[row] = facts.subject().replyOrForward();
            ranker.add(SUBJECTS, row, KeyRanker.key(facts.subject().text()));
            if (facts.messageId() != null) {
                ranker.add(IDS, row, KeyRanker.key(facts.messageId()));
            }
            int count = facts.references().size();
            int first = nextReference.getAndAdd(count);
            firstReference[row] = first;
            referenceCount[row] = count;
            for (int k = 0; k < count; k++) {
                ranker.add(IDS, sentDates.length + first + k, KeyRanker.key(facts.references().get(k)));
            }
        }

        /** The keys, once every row is set. */
        public ThreadKeys build() throws IOException {
            return build((column, number, key, length) -> { });
        }

        /** The keys, once every row is set; each subject's and ID's number told to {@code names}. */
        public ThreadKeys build(Names names) throws IOException {
            int n = sentDates.length;
            var merge = ranker.ranks();
            var subjects = new int[n + 1];
            int subjectCount = merge.column(SUBJECTS, subjects,
                    (rank, key, length) -> names.name(Column.SUBJECT, rank, key, length));
            var numbers = new int[n + nextReference.get()];
            Arrays.fill(numbers, 0, n, NONE); // a message without an ID keeps NONE
            int idCount = merge.column(IDS, numbers, (rank, key, length) -> names.name(Column.ID, rank, key, length));
            var referenceStarts = new int[n + 1];
            var references = new int[nextReference.get()];
            var replySet = new BitSet(n);
            for (int row = 0; row < n; row++) {
                referenceStarts[row + 1] = referenceStarts[row] + referenceCount[row];
                System.arraycopy(numbers, n + firstReference[row], references, referenceStarts[row],
                        referenceCount[row]);
                replySet.set(row, replies[row]);
            }
            return new ThreadKeys(sentDates, Arrays.copyOf(subjects, n), replySet, Arrays.copyOf(numbers, n),
                    referenceStarts, references, idCount, subjectCount);
        }

        @Override
        public void close() throws IOException {
            ranker.close();
        }
    }

    /**
     * The keys of the rows {@code rows} (row i of the result is {@code rows[i]} of these); a row
     * {@link #NONE} is a message these keys miss (expunged before they were made), which gets no
     * subject, ID or references and {@code missingDates.applyAsLong(i)} as its date.
     */
    public ThreadKeys select(int[] rows, IntToLongFunction missingDates) {
        return pick(rows, missingDates, IntUnaryOperator.identity(), subjectCount, IntUnaryOperator.identity(), idCount);
    }

    /** The numbers the rows {@code rows} (none {@link #NONE}) use, to be {@link #compacted} to them alone. */
    public Renumbering renumbering(int[] rows) {
        var subjectUsed = new BitSet(subjectCount);
        subjectUsed.set(0); // the empty subject is 0 whether a row has it or not
        var idUsed = new BitSet(idCount);
        for (int row : rows) {
            subjectUsed.set(subject(row));
            if (messageId(row) != NONE) {
                idUsed.set(messageId(row));
            }
            for (int k = 0, length = referenceCount(row); k < length; k++) {
                idUsed.set(reference(row, k));
            }
        }
        var subjectNumbers = numbered(subjectUsed, subjectCount);
        var idNumbers = numbered(idUsed, idCount);
        return new Renumbering(subjectNumbers, subjectUsed.cardinality(), idNumbers, idUsed.cardinality());
    }

    private static int[] numbered(BitSet used, int count) {
        var numbers = new int[count];
        Arrays.fill(numbers, NONE);
        int next = 0;
        for (int old = used.nextSetBit(0); old >= 0; old = used.nextSetBit(old + 1)) {
            numbers[old] = next++;
        }
        return numbers;
    }

    /** The rows {@code rows} (none {@link #NONE}) alone, numbered by {@code numbers} (made of the same rows). */
    public ThreadKeys compacted(int[] rows, Renumbering numbers) {
        return pick(rows, i -> {
            throw new IllegalArgumentException("a compacted row must be one of these keys");
        }, old -> numbers.subjects()[old], numbers.subjectCount(), old -> numbers.ids()[old], numbers.idCount());
    }

    /**
     * These keys with {@code added} as rows after their own; the added rows' numbers are these keys'
     * or new ones below {@code subjectCount} and {@code idCount}.
     */
    public ThreadKeys plus(List<Row> added, int subjectCount, int idCount) {
        int n = size();
        int total = n + added.size();
        int oldReferences = references.size();
        var starts = new int[added.size() + 1]; // of the added rows, after the old references
        for (int i = 0; i < added.size(); i++) {
            starts[i + 1] = starts[i] + added.get(i).references().length;
        }
        var addedReferences = new int[starts[added.size()]];
        var replySet = (BitSet) replies.clone();
        for (int i = 0; i < added.size(); i++) {
            var row = added.get(i);
            System.arraycopy(row.references(), 0, addedReferences, starts[i], row.references().length);
            replySet.set(n + i, row.replyOrForward());
        }
        return new ThreadKeys(
                PackedLongs.of(total, i -> i < n ? sentDate(i) : added.get(i - n).sentDate()),
                PackedLongs.of(total, i -> i < n ? subject(i) : added.get(i - n).subject()), replySet,
                PackedLongs.of(total, i -> i < n ? messageId(i) : added.get(i - n).messageId()),
                PackedLongs.of(total + 1, i -> i <= n ? referenceStarts.get(i) : oldReferences + starts[i - n]),
                PackedLongs.of(oldReferences + addedReferences.length,
                        i -> i < oldReferences ? references.get(i) : addedReferences[i - oldReferences]),
                idCount, subjectCount);
    }

    private ThreadKeys pick(int[] rows, IntToLongFunction missingDates, IntUnaryOperator subjectNumber,
            int pickedSubjectCount, IntUnaryOperator idNumber, int pickedIdCount) {
        int n = rows.length;
        var selectedDates = new long[n];
        var selectedSubjects = new int[n];
        var selectedReplies = new BitSet(n);
        var selectedIds = new int[n];
        var selectedStarts = new int[n + 1];
        int count = 0;
        for (int row : rows) {
            count += row == NONE ? 0 : referenceCount(row);
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
            selectedDates[i] = sentDate(row);
            selectedSubjects[i] = subjectNumber.applyAsInt(subject(row));
            selectedReplies.set(i, replies.get(row));
            selectedIds[i] = messageId(row) == NONE ? NONE : idNumber.applyAsInt(messageId(row));
            for (int k = 0, length = referenceCount(row); k < length; k++) {
                selectedReferences[r++] = idNumber.applyAsInt(reference(row, k));
            }
        }
        selectedStarts[n] = r;
        return new ThreadKeys(selectedDates, selectedSubjects, selectedReplies, selectedIds, selectedStarts,
                selectedReferences, pickedIdCount, pickedSubjectCount);
    }

    public int size() {
        return sentDates.size();
    }

    public long sentDate(int row) {
        return sentDates.get(row);
    }

    /** The number of the base subject: equal subjects have equal numbers, 0 is the empty subject. */
    public int subject(int row) {
        return subjects.getInt(row);
    }

    /** One more than the highest subject number. */
    public int subjectCount() {
        return subjectCount;
    }

    public boolean replyOrForward(int row) {
        return replies.get(row);
    }

    /** The number of the Message-ID, or {@link #NONE}. */
    public int messageId(int row) {
        return messageIds.getInt(row);
    }

    public int referenceCount(int row) {
        return referenceStarts.getInt(row + 1) - referenceStarts.getInt(row);
    }

    /** The number of the {@code i}-th reference, 0 the first (oldest). */
    public int reference(int row, int i) {
        return references.getInt(referenceStarts.getInt(row) + i);
    }

    /** One more than the highest ID number. */
    public int idCount() {
        return idCount;
    }

    public long heapBytes() {
        return 64 + sentDates.heapBytes() + subjects.heapBytes() + messageIds.heapBytes() + referenceStarts.heapBytes()
                + references.heapBytes() + sentDates.size() / 8;
    }
}
