package org.roost.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.mime.Envelope;
import org.roost.mail.sort.Casemap;
import org.roost.mail.sort.PackedLongs;
import org.roost.mail.sort.SentDate;
import org.roost.mail.sort.SortField;
import org.roost.net.Cancellation;

/**
 * Brings a kept ranking up to a view without ranking every message again. Expunged messages are
 * dropped without a read (their ranks and places in the order go with them). Messages newer than the
 * ranking (APPEND, COPY, delivery) are read once each and placed by a binary search along the kept
 * order, which reads the header of the message at each probe (kept for the other fields' probes of the
 * same update): a few dozen reads a new message instead of one of every message. The merged ranks are
 * counted from 0 again in one walk, so they stay as narrow as a fresh ranking's.
 */
final class RankingUpdate {
    /** Placing new messages must cost at most half the reads of ranking all again. */
    private static final int CHEAPER_BY = 2;

    private final MailboxView view;
    private final Cancellation cancellation;
    /** Headers read so far in this update, by sequence number. */
    private final Map<Integer, Envelope> read = new HashMap<>();

    /** An update of rankings to {@code view}, whose reads {@code cancellation} stops. */
    RankingUpdate(MailboxView view, Cancellation cancellation) {
        this.view = view;
        this.cancellation = cancellation;
    }

    /** Whether placing {@code added} new messages among {@code kept} ones reads less than ranking them all again. */
    static boolean worthIt(int kept, int added) {
        long probes = (long) added * SortField.values().length * (33 - Integer.numberOfLeadingZeros(kept + 1));
        return added + probes <= (long) (kept + added) / CHEAPER_BY;
    }

    /** The positions of {@code uids} (ascending) that {@code view} still holds, ascending: one walk along both. */
    static int[] held(int[] uids, MailboxView view) {
        var held = new int[uids.length];
        int n = 0;
        int seq = 1;
        for (int i = 0; i < uids.length; i++) {
            long uid = Integer.toUnsignedLong(uids[i]);
            while (seq <= view.count() && view.uid(seq) < uid) {
                seq++;
            }
            if (seq <= view.count() && view.uid(seq) == uid) {
                held[n++] = i;
            }
        }
        return Arrays.copyOf(held, n);
    }

    /** {@code ranking} over only the messages at the positions {@code held}: ranks and order kept, nothing read. */
    static SortRanking compacted(SortRanking ranking, int[] uids, int[] held) {
        var heldAt = new int[ranking.size()]; // old position -> new position + 1, 0 when dropped
        for (int p = 0; p < held.length; p++) {
            heldAt[held[p]] = p + 1;
        }
        var ranks = new long[held.length];
        for (int p = 0; p < held.length; p++) {
            ranks[p] = ranking.rankAt(held[p]);
        }
        var oldOrder = ranking.order();
        var order = new int[held.length];
        int n = 0;
        for (int k = 0; k < oldOrder.size(); k++) {
            int at = heldAt[oldOrder.getInt(k)];
            if (at > 0) {
                order[n++] = at - 1;
            }
        }
        return new SortRanking(uids, PackedLongs.of(ranks), PackedLongs.of(order));
    }

    /**
     * {@code ranking} (over messages {@code view} holds) with the messages at {@code view}'s sequence
     * numbers {@code firstNew} on added after its own, {@code uids} those of all. Each new value's
     * place in the order is found by a binary search, then one walk along the order with the new
     * values in their places counts the ranks from 0.
     */
    SortRanking extended(SortField field, SortRanking ranking, int[] uids, int firstNew) throws IOException {
        var order = ranking.order();
        var places = new ArrayList<Place>();
        for (int seq = firstNew; seq <= view.count(); seq++) {
            places.add(place(field, ranking, order, value(field, seq), ranking.size() + seq - firstNew));
        }
        places.sort((a, b) -> a.at() != b.at() ? Integer.compare(a.at(), b.at())
                : a.equal() != b.equal() ? Boolean.compare(a.equal(), b.equal()) // new values below the run first
                : !a.equal() && compare(field, a.value(), b.value()) != 0 ? compare(field, a.value(), b.value())
                : Integer.compare(a.position(), b.position()));
        var ranks = new long[uids.length];
        int rank = -1;
        long lastOld = Long.MIN_VALUE;
        Place lastNew = null;
        int next = 0;
        for (int k = 0; k <= order.size(); k++) {
            for (; next < places.size() && places.get(next).at() == k && !places.get(next).equal(); next++) {
                var place = places.get(next); // below the old run that starts at k, above the one before
                if (lastNew == null || compare(field, lastNew.value(), place.value()) != 0) {
                    rank++;
                }
                ranks[place.position()] = rank;
                lastNew = place;
            }
            if (k == order.size()) {
                break;
            }
            int position = order.getInt(k);
            if (ranking.rankAt(position) != lastOld || lastNew != null) {
                rank++;
                lastOld = ranking.rankAt(position);
                lastNew = null;
            }
            ranks[position] = rank;
            for (; next < places.size() && places.get(next).at() == k && places.get(next).equal(); next++) {
                ranks[places.get(next).position()] = rank; // equal to the run that ends at k
            }
        }
        return new SortRanking(uids, PackedLongs.of(ranks));
    }

    /**
     * Where a new value goes in the order: {@code at} the first place whose value is above it, or
     * (when {@code equal}) at the last place of the run whose value it equals.
     */
    private record Place(int at, boolean equal, Object value, int position) {}

    private Place place(SortField field, SortRanking ranking, PackedLongs order, Object value, int position)
            throws IOException {
        int lo = 0;
        int hi = order.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(field, valueAt(field, ranking, order.getInt(mid)), value) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == order.size() || compare(field, valueAt(field, ranking, order.getInt(lo)), value) != 0) {
            return new Place(lo, false, value, position);
        }
        return new Place(runEnd(ranking, order, lo), true, value, position);
    }

    /** The last place of the run of equal ranks that holds place {@code k}: ranks ascend along the order. */
    private static int runEnd(SortRanking ranking, PackedLongs order, int k) {
        long rank = ranking.rankAt(order.getInt(k));
        int lo = k;
        int hi = order.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ranking.rankAt(order.getInt(mid)) == rank) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private Object valueAt(SortField field, SortRanking ranking, int position) throws IOException {
        int seq = view.sequenceOf(ranking.uidAt(position));
        if (seq == 0) {
            throw new MessageNotFoundException("UID " + ranking.uidAt(position) + " is not in the view");
        }
        return value(field, seq);
    }

    /** The value a ranking by {@code field} compares: the sent date (else the internal date, RFC 5256 §2.2) or the key. */
    private Object value(SortField field, int seq) throws IOException {
        var envelope = read.get(seq);
        if (envelope == null) {
            cancellation.check();
            envelope = view.state().header(view.message(seq)).envelope();
            read.put(seq, envelope);
        }
        if (field != SortField.DATE) {
            return field.key(envelope);
        }
        var sent = SentDate.parse(envelope.date());
        return sent != null ? sent : view.internalDateSeconds(seq);
    }

    private static int compare(SortField field, Object a, Object b) {
        return field == SortField.DATE ? Long.compare((Long) a, (Long) b) : Casemap.compare((String) a, (String) b);
    }
}
