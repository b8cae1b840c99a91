package org.roost.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.roost.storage.StoredMessage;

/**
 * One session's view of a shared {@link MailboxState}: its own message sequence numbers, which
 * change only when the session is allowed to report changes (RFC 3501 §5.2, §7.4.1), and which
 * messages are {@code \Recent} for it.
 */
public final class MailboxView {
    private final MailboxState state;
    private final boolean readOnly;
    private StoredMessage[] messages;
    /** False while {@link #messages} is still the snapshot's array, which other views share. */
    private boolean ownsMessages;
    private long version;
    private final List<long[]> recentRanges = new ArrayList<>();

    /** What changed since the last {@link #sync}: in the order a protocol reports it. */
    public record Changes(int[] expungedSequences, boolean countChanged, int[] flagChangedSequences) {
        static final Changes NONE = new Changes(new int[0], false, new int[0]);

        public boolean isEmpty() {
            return expungedSequences.length == 0 && !countChanged && flagChangedSequences.length == 0;
        }
    }

    public MailboxView(MailboxState state, boolean readOnly) {
        this.state = state;
        this.readOnly = readOnly;
        var snapshot = state.current();
        this.messages = snapshot.messages();
        this.version = snapshot.version();
        if (!readOnly && messages.length > 0) {
            claimRecent(messages[messages.length - 1].uid());
        }
    }

    public MailboxState state() {
        return state;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public int count() {
        return messages.length;
    }

    /** The message with sequence number {@code seq} (1-based). */
    public StoredMessage message(int seq) {
        return messages[seq - 1];
    }

    /** Sequence number of {@code uid}, or 0 when this view does not hold it. */
    public int sequenceOf(long uid) {
        int lo = 0;
        int hi = messages.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = messages[mid].uid();
            if (m < uid) {
                lo = mid + 1;
            } else if (m > uid) {
                hi = mid - 1;
            } else {
                return mid + 1;
            }
        }
        return 0;
    }

    /** The first sequence number whose UID is at least {@code uid} (count+1 when none). */
    public int firstSequenceAtLeast(long uid) {
        int lo = 0;
        int hi = messages.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (messages[mid].uid() < uid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo + 1;
    }

    public long uidValidity() {
        return state.current().uidValidity();
    }

    /** UIDNEXT as this view may report it. */
    public long uidNext() {
        return state.current().uidNext();
    }

    public boolean isRecent(StoredMessage m) {
        for (var r : recentRanges) {
            if (m.uid() >= r[0] && m.uid() <= r[1]) {
                return true;
            }
        }
        return false;
    }

    public int recentCount() {
        int n = 0;
        for (var m : messages) {
            if (isRecent(m)) {
                n++;
            }
        }
        return n;
    }

    /** True when the shared state moved on since this view last synced. */
    public boolean hasPendingChanges() {
        return state.current().version() != version;
    }

    /**
     * Brings the view up to date. Expunged messages leave the view only when
     * {@code allowExpunge}; until then they keep their sequence numbers.
     */
    public Changes sync(boolean allowExpunge) {
        var snapshot = state.current();
        if (snapshot.version() == version) {
            return Changes.NONE;
        }
        var next = snapshot.messages();
        var kept = new ArrayList<StoredMessage>(Math.max(messages.length, next.length));
        var expunged = new ArrayList<Integer>();
        var flagged = new ArrayList<Integer>();
        boolean stillPending = false;
        int j = 0;
        for (int i = 0; i < messages.length; i++) {
            var mine = messages[i];
            while (j < next.length && next[j].uid() < mine.uid()) {
                j++; // a UID below ours that we never had: not shown until reselected
            }
            if (j < next.length && next[j].uid() == mine.uid()) {
                var now = next[j++];
                if (!now.flags().equals(mine.flags()) || !now.keywords().equals(mine.keywords())) {
                    flagged.add(kept.size() + 1);
                }
                kept.add(now);
            } else if (allowExpunge) {
                expunged.add(i + 1);
            } else {
                kept.add(mine);
                stillPending = true;
            }
        }
        long maxUid = messages.length == 0 ? 0 : messages[messages.length - 1].uid();
        for (; j < next.length; j++) {
            if (next[j].uid() > maxUid) {
                kept.add(next[j]);
            }
        }
        boolean added = kept.size() > messages.length - expunged.size();
        if (added && !readOnly) {
            claimRecent(kept.getLast().uid());
        }
        messages = kept.toArray(StoredMessage[]::new);
        ownsMessages = true;
        version = stillPending ? -1 : snapshot.version(); // -1: re-check until the expunges may be reported
        int[] expungedDescending = expunged.stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        return new Changes(expungedDescending, added,
                flagged.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Takes the session's own flag updates into the view, so they are not reported back as changes. */
    public void adopt(List<StoredMessage> updated) {
        if (!ownsMessages) { // copy on first write: the snapshot's array is shared with other views
            messages = messages.clone();
            ownsMessages = true;
        }
        for (var m : updated) {
            int seq = sequenceOf(m.uid());
            if (seq > 0) {
                messages[seq - 1] = m;
            }
        }
    }

    private void claimRecent(long upTo) {
        long first = state.claimRecent(upTo);
        if (first <= upTo) {
            recentRanges.add(new long[] {first, upTo});
        }
    }

    @Override
    public String toString() {
        return "MailboxView[" + state.name() + ", " + messages.length + " messages, recent " + Arrays.deepToString(recentRanges.toArray()) + "]";
    }
}
