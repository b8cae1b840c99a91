package org.roost.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.roost.index.MailboxState;
import org.roost.index.Mailboxes;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.net.Cancellation;

/**
 * The maildrop of one POP3 session: the INBOX as it was when the session entered the TRANSACTION
 * state, numbered 1..n for the whole session (RFC 1939 §5: numbers never change within a session),
 * plus the messages marked deleted. Sizes and UIDs come from the shared index, so STAT, LIST and
 * UIDL never open a message file; deletions reach the mailbox only through {@link #commit()}.
 */
final class Maildrop {
    private static final String INBOX = "INBOX";
    private final MailboxState state;
    private final StoredMessage[] messages;
    private final long uidValidity;
    /** UIDLs an earlier server left in the storage, by message key; they win over the format. */
    private final Map<String, String> storedUidls;
    private final BitSet deleted = new BitSet();

    private Maildrop(MailboxState state, StoredMessage[] messages, long uidValidity, Map<String, String> storedUidls) {
        this.state = state;
        this.messages = messages;
        this.uidValidity = uidValidity;
        this.storedUidls = storedUidls;
    }

    /** The user's INBOX, re-read from storage; a user whose mail directory does not exist yet has an empty one. */
    static Maildrop open(Mailboxes mailboxes) throws IOException {
        MailboxState state;
        try {
            state = mailboxes.open(INBOX);
        } catch (MailboxNotFoundException e) {
            return new Maildrop(null, new StoredMessage[0], 0, Map.of());
        }
        var snapshot = state.refresh(true);
        state.measureSizes(snapshot, Cancellation.never()); // STAT and LIST report exact sizes (RFC 1939 §5)
        var present = Arrays.stream(snapshot.messages()).filter(StoredMessage::virtualSizeKnown)
                .toArray(StoredMessage[]::new); // the others' files vanished while being measured
        return new Maildrop(state, present, snapshot.uidValidity(), state.pop3Uidls());
    }

    /** How many messages the session numbers, deleted ones included. */
    int count() {
        return messages.length;
    }

    boolean isDeleted(int number) {
        return deleted.get(number - 1);
    }

    StoredMessage message(int number) {
        return messages[number - 1];
    }

    /** RFC 1939 §5: the size of a message as it is sent, with CRLF line ends. */
    long size(int number) {
        return message(number).virtualSize();
    }

    int liveCount() {
        return messages.length - deleted.cardinality();
    }

    long liveSize() {
        long total = 0;
        for (int n = 1; n <= messages.length; n++) {
            if (!isDeleted(n)) {
                total += size(n);
            }
        }
        return total;
    }

    /**
     * The UIDL an earlier server stored for the message when there is a usable one (as Dovecot
     * prefers its backend's UIDL to {@code pop3_uidl_format}), else the format's.
     */
    String uidl(int number, UidlFormat format) {
        var stored = storedUidls.get(message(number).key());
        return stored != null && isValidUidl(stored) ? stored : format.format(message(number), uidValidity);
    }

    /** RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E. */
    static boolean isValidUidl(String uidl) {
        return !uidl.isEmpty() && uidl.length() <= 70 && uidl.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    void delete(int number) {
        deleted.set(number - 1);
    }

    void reset() {
        deleted.clear();
    }

    /** The message with CRLF line ends, streamed from storage. */
    InputStream open(int number) throws IOException {
        return state.open(message(number));
    }

    /** Sets {@code \Seen} (Dovecot does so on RETR); a message already expunged elsewhere is left alone. */
    void markSeen(int number) throws IOException {
        var current = state.current().byUid(message(number).uid());
        if (current == null || current.flags().contains(SystemFlag.SEEN)) {
            return;
        }
        var flags = current.flags().isEmpty() ? EnumSet.noneOf(SystemFlag.class) : EnumSet.copyOf(current.flags());
        flags.add(SystemFlag.SEEN);
        state.setFlags(List.of(new MailboxState.FlagChange(current, flags, current.keywords())));
    }

    /** The UPDATE state (RFC 1939 §6): removes the messages marked deleted; returns how many. */
    int commit() throws IOException {
        if (deleted.isEmpty()) {
            return 0;
        }
        var gone = new ArrayList<StoredMessage>(deleted.cardinality());
        deleted.stream().forEach(i -> gone.add(messages[i]));
        state.expunge(gone);
        return gone.size();
    }
}
