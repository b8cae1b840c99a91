package org.roost.storage.mbox;

import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * What the driver knows of an mbox file at one moment (immutable): the file's stamp, the mailbox's
 * UIDVALIDITY, next UID and keywords, UW-IMAP's pseudo-message if the file has one, and the messages
 * in file order (which is UID order). {@code fileBase} is what the file's own {@code X-IMAPbase} (or
 * {@code X-IMAP}) says, null when it says nothing.
 *
 * @param tokenStamp the stamp the index's change token is made of: the file's own, except after a
 *                   rewrite that changed nothing an index sees (UIDs written into the file), which keeps
 *                   the token of the file before it, so that an index does not read a large mbox again
 *                   for the server's own housekeeping
 */
record MboxContents(FileStamp stamp, FileStamp tokenStamp, long uidValidity, long nextUid, List<String> keywords,
                    Scanner.Found pseudo, MessageList messages, Metadata.Base fileBase) {

    MboxContents {
        keywords = List.copyOf(keywords);
    }

    MboxContents(FileStamp stamp, FileStamp tokenStamp, long uidValidity, long nextUid, List<String> keywords,
                 Scanner.Found pseudo, List<MboxMessage> messages, Metadata.Base fileBase) {
        this(stamp, tokenStamp, uidValidity, nextUid, keywords, pseudo, MessageList.of(messages), fileBase);
    }

    /** The same contents in a file whose time stamp was moved on, nothing else changed (its token stays). */
    MboxContents restamped(FileStamp moved) {
        return new MboxContents(moved, tokenStamp, uidValidity, nextUid, keywords, pseudo, messages, fileBase);
    }

    /** The position of the message with {@code uid}, or -1. */
    int indexOf(long uid) {
        return search(messages.size(), i -> messages.get(i).uid(), uid);
    }

    /** The index of {@code uid} among {@code count} ascending UIDs, or -1. */
    static int search(int count, IntToLongFunction uidAt, long uid) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = uidAt.applyAsLong(mid);
            if (at < uid) {
                low = mid + 1;
            } else if (at > uid) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** True when the file says everything the driver knows: every UID, the UIDVALIDITY, next UID and keywords. */
    boolean written() {
        if (messages.isEmpty() && pseudo == null) {
            return true; // an empty file: nothing to keep until a message arrives or all are expunged
        }
        if (fileBase == null || fileBase.uidValidity() != uidValidity || fileBase.lastUid() < nextUid - 1
                || !fileBase.keywords().containsAll(keywords)) {
            return false;
        }
        return messages.firstUnwritten() < 0;
    }

    /** Where the message (or pseudo-message) that carries the mailbox's {@code X-IMAPbase} starts. */
    long firstOffset() {
        return pseudo != null ? pseudo.offset() : messages.isEmpty() ? stamp.size() : messages.get(0).offset();
    }
}
