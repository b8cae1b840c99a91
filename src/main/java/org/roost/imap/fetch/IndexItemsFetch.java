package org.roost.imap.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roost.imap.ResponseBuffer;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;

/**
 * FETCH of items the index alone answers (UID, FLAGS, INTERNALDATE, RFC822.SIZE), the way clients
 * resynchronize a whole mailbox: each line is formatted from the view's columns straight into
 * the response buffer, without a message object or a String per message. The bytes are those
 * {@link FetchCommand}'s general path writes for the same items.
 */
final class IndexItemsFetch {
    private static final byte[] FETCH_OPEN = bytes(" FETCH (");
    private static final byte[] LINE_END = bytes(")\r\n");
    private static final byte[] UID = bytes("UID ");
    private static final byte[] FLAGS = bytes("FLAGS (");
    private static final byte[] INTERNALDATE = bytes("INTERNALDATE \"");
    private static final byte[] RFC822_SIZE = bytes("RFC822.SIZE ");
    private static final byte[] RECENT = bytes("\\Recent");
    private static final byte[][] SYSTEM_FLAGS = systemFlagLists();
    private static final int SYSTEM_FLAG_BITS = SYSTEM_FLAGS.length - 1;
    /** A line costs tens of nanoseconds, a cancellation check about 20: checked every 64 lines. */
    private static final int CHECK_MASK = 63;

    private final MailboxView view;
    private final ResponseBuffer out;
    private final Cancellation cancellation;
    /** A keyword mask's names as a space-separated list, made once per mask. */
    private final Map<Long, byte[]> keywordLists = new HashMap<>();
    private final DateTimeText dates = new DateTimeText();

    IndexItemsFetch(MailboxView view, ResponseBuffer out, Cancellation cancellation) {
        this.view = view;
        this.out = out;
        this.cancellation = cancellation;
    }

    /** True when every item is one this class answers from the index alone. */
    static boolean answers(List<FetchItem> items) {
        return items.stream().allMatch(i -> i instanceof FetchItem.Uid || i instanceof FetchItem.Flags
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
        out.write('*');
        out.write(' ');
        out.number(seq).bytes(FETCH_OPEN);
        for (int i = 0; i < order.length; i++) {
            if (i > 0) {
                out.write(' ');
            }
            writeItem(seq, order[i]);
        }
        out.bytes(LINE_END);
    }

    private void writeItem(int seq, FetchItem item) throws IOException {
        switch (item) {
            case FetchItem.Uid u -> out.bytes(UID).number(view.uid(seq));
            case FetchItem.Flags f -> writeFlags(seq);
            case FetchItem.InternalDate d -> {
                out.bytes(INTERNALDATE);
                dates.write(out, view.internalDateSeconds(seq));
                out.write('"');
            }
            case FetchItem.Rfc822Size s -> out.bytes(RFC822_SIZE).number(view.virtualSize(seq));
            default -> throw new IllegalArgumentException("not an index item: " + item);
        }
    }

    /** As {@link org.roost.imap.Flags#format}: system flags in their order, \Recent, then keywords ascending. */
    private void writeFlags(int seq) throws IOException {
        out.bytes(FLAGS);
        var system = SYSTEM_FLAGS[view.flagBits(seq) & SYSTEM_FLAG_BITS];
        out.bytes(system);
        boolean any = system.length > 0;
        if (view.isRecentUid(view.uid(seq))) {
            if (any) {
                out.write(' ');
            }
            out.bytes(RECENT);
            any = true;
        }
        long mask = view.keywordMask(seq);
        if (mask != 0) {
            var keywords = keywordLists.computeIfAbsent(mask, this::keywordList);
            if (any && keywords.length > 0) {
                out.write(' ');
            }
            out.bytes(keywords);
        }
        out.write(')');
    }

    private byte[] keywordList(long mask) {
        return bytes(String.join(" ", view.keywords(mask)));
    }

    /** For each combination of system flag bits, the flags' names in enum order, space-separated. */
    private static byte[][] systemFlagLists() {
        var flags = SystemFlag.values();
        var lists = new byte[1 << flags.length][];
        for (int bits = 0; bits < lists.length; bits++) {
            var sb = new StringBuilder();
            for (var flag : flags) {
                if ((bits & (1 << flag.ordinal())) != 0) {
                    sb.append(sb.isEmpty() ? "" : " ").append(flag.imapName());
                }
            }
            lists[bits] = bytes(sb.toString());
        }
        return lists;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
