package org.roost.imap;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.roost.imap.fetch.FetchItem;
import org.roost.imap.search.SearchKey;
import org.roost.mail.SequenceSet;

/**
 * A parsed IMAP command: a value, executed by {@link ImapSession} (parsing never touches storage).
 * Mailbox names are as the client sent them (modified UTF-7); the session decodes them.
 */
public sealed interface Command {
    String tag();

    /** The command's name as counted in metrics. */
    String name();

    record Capability(String tag) implements Command {
        public String name() {
            return "CAPABILITY";
        }
    }

    record Noop(String tag) implements Command {
        public String name() {
            return "NOOP";
        }
    }

    record Logout(String tag) implements Command {
        public String name() {
            return "LOGOUT";
        }
    }

    record StartTls(String tag) implements Command {
        public String name() {
            return "STARTTLS";
        }
    }

    record Login(String tag, String user, byte[] password) implements Command {
        public String name() {
            return "LOGIN";
        }

        @Override
        public String toString() {
            return "Login[" + tag + ", " + user + "]";
        }
    }

    /** AUTHENTICATE with an optional SASL-IR initial response (RFC 4959; "=" is an empty response). */
    record Authenticate(String tag, String mechanism, Optional<byte[]> initialResponse) implements Command {
        public String name() {
            return "AUTHENTICATE";
        }
    }

    /** SELECT, or EXAMINE when {@code readOnly}. */
    record Select(String tag, String mailbox, boolean readOnly) implements Command {
        public String name() {
            return readOnly ? "EXAMINE" : "SELECT";
        }
    }

    record Create(String tag, String mailbox) implements Command {
        public String name() {
            return "CREATE";
        }
    }

    record Delete(String tag, String mailbox) implements Command {
        public String name() {
            return "DELETE";
        }
    }

    record Rename(String tag, String from, String to) implements Command {
        public String name() {
            return "RENAME";
        }
    }

    /** SUBSCRIBE, or UNSUBSCRIBE when not {@code subscribe}. */
    record Subscribe(String tag, String mailbox, boolean subscribe) implements Command {
        public String name() {
            return subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE";
        }
    }

    /** LIST, or LSUB when {@code subscribedOnly}. */
    record ListMailboxes(String tag, String reference, String pattern, boolean subscribedOnly) implements Command {
        public String name() {
            return subscribedOnly ? "LSUB" : "LIST";
        }
    }

    record Status(String tag, String mailbox, List<String> items) implements Command {
        public String name() {
            return "STATUS";
        }
    }

    record Append(String tag, String mailbox, List<String> flags, Optional<ZonedDateTime> date,
            MessageLiteral message) implements Command {
        public String name() {
            return "APPEND";
        }
    }

    record Check(String tag) implements Command {
        public String name() {
            return "CHECK";
        }
    }

    record Close(String tag) implements Command {
        public String name() {
            return "CLOSE";
        }
    }

    record Unselect(String tag) implements Command {
        public String name() {
            return "UNSELECT";
        }
    }

    /** EXPUNGE, or UID EXPUNGE (RFC 4315) when {@code uids} is present. */
    record Expunge(String tag, Optional<SequenceSet> uids) implements Command {
        public String name() {
            return uids.isPresent() ? "UID EXPUNGE" : "EXPUNGE";
        }
    }

    record Search(String tag, boolean uid, String charset, SearchKey key) implements Command {
        public String name() {
            return uid ? "UID SEARCH" : "SEARCH";
        }
    }

    record Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items) implements Command {
        public String name() {
            return uid ? "UID FETCH" : "FETCH";
        }
    }

    enum StoreMode { REPLACE, ADD, REMOVE }

    record Store(String tag, boolean uid, SequenceSet set, StoreMode mode, boolean silent, List<String> flags)
            implements Command {
        public String name() {
            return uid ? "UID STORE" : "STORE";
        }
    }

    /** COPY, or MOVE (RFC 6851) when {@code move}. */
    record Copy(String tag, boolean uid, SequenceSet set, String mailbox, boolean move) implements Command {
        public String name() {
            return (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        }
    }

    record Idle(String tag) implements Command {
        public String name() {
            return "IDLE";
        }
    }

    record Namespace(String tag) implements Command {
        public String name() {
            return "NAMESPACE";
        }
    }

    /** RFC 2971 ID; the client's parameters are only logged. */
    record Id(String tag, List<String> parameters) implements Command {
        public String name() {
            return "ID";
        }
    }
}
