package org.roost.imap.fetch;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.net.Cancellation;

/**
 * FETCH of items the index alone answers (UID, MODSEQ, FLAGS, INTERNALDATE, RFC822.SIZE), the way clients
 * resynchronize a whole mailbox: each line is formatted from the view's columns straight into
 * the response buffer, without a message object or a String per message.
 */
final class IndexItemsFetch {
    /** A line costs tens of nanoseconds, a cancellation check about 20: checked every 64 lines. */
    private static final int CHECK_MASK = 63;
    private static final byte[] NO_KEYWORDS = new byte[0];

    private final MailboxView view;
    private final FetchResponse response;
    private final Cancellation cancellation;
    /** A keyword mask's names as FLAGS lists them, made once per mask. */
    private final Map<Long, byte[]> keywordLists = new HashMap<>();

    IndexItemsFetch(MailboxView view, FetchResponse response, Cancellation cancellation) {
        this.view = view;
        this.response = response;
        this.cancellation = cancellation;
    }

    /** True when every item is one this class answers from the index alone. */
    static boolean answers(List<FetchItem> items) {
        return items.stream().allMatch(i -> i instanceof FetchItem.Uid || i instanceof FetchItem.Modseq
                || i instanceof FetchItem.Flags
                || i instanceof FetchItem.InternalDate || i instanceof FetchItem.Rfc822Size);
    }

    /**
     * {@code * <seq> FETCH (...)} for each of {@code seqs}, the items in the order given; INTERNALDATE
     * and RFC822.SIZE looked up first where the storage did not state them. Returns false when a
     * message was left out because they could not be: its file is gone (expunged by another program).
     */
    boolean write(int[] seqs, List<FetchItem> items) throws IOException {
        var order = items.toArray(FetchItem[]::new);
        var needed = EnumSet.noneOf(Fact.class);
        for (var item : items) {
            switch (item) {
                case FetchItem.InternalDate d -> needed.add(Fact.FILE_STATUS);
                case FetchItem.Rfc822Size s -> needed.add(Fact.VIRTUAL_SIZE);
                default -> { }
            }
        }
        boolean[] complete = {true};
        view.inChunks(seqs, needed, cancellation, (from, to) -> {
            for (int k = from; k < to; k++) {
                if ((k & CHECK_MASK) == 0) {
                    cancellation.check();
                }
                if (!view.knows(seqs[k], needed)) {
                    complete[0] = false;
                } else {
                    writeLine(seqs[k], order);
                }
            }
        });
        return complete[0];
    }

    private void writeLine(int seq, FetchItem[] order) throws IOException {
        response.begin(seq, view.uid(seq));
        for (var item : order) {
            writeItem(seq, item);
        }
        response.end();
    }

    private void writeItem(int seq, FetchItem item) throws IOException {
        switch (item) {
            case FetchItem.Uid u -> response.uid(view.uid(seq));
            case FetchItem.Modseq q -> response.modseq(view.modseq(seq));
            case FetchItem.Flags f -> response.flags(view.flagBits(seq), view.isRecentUid(view.uid(seq)),
                    keywordList(view.keywordMask(seq)));
            case FetchItem.InternalDate d -> response.internalDate(view.internalDateSeconds(seq));
            case FetchItem.Rfc822Size s -> response.rfc822Size(view.virtualSize(seq));
            default -> throw new IllegalArgumentException("not an index item: " + item);
        }
    }

    private byte[] keywordList(long mask) {
        return mask == 0 ? NO_KEYWORDS : keywordLists.computeIfAbsent(mask, m -> FetchResponse.keywordList(view.keywords(m)));
    }
}
