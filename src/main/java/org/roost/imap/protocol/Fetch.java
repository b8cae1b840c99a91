package org.roost.imap.protocol;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/**
 * FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8) with the modifiers of RFC 7162 §3.1.4.1 and §3.2.6:
 * {@code "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
 * [SP "(" fetch-modifier *(SP fetch-modifier) ")"]}.
 *
 * @param changedSince CHANGEDSINCE's mod-sequence, or {@link #ANY_CHANGE} when not given
 * @param vanished     the VANISHED modifier (UID FETCH only, and only with CHANGEDSINCE)
 * @param partial      the PARTIAL modifier's range (RFC 9394 §3.3, UID FETCH only), or null
 */
public record Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items, long changedSince,
                    boolean vanished, PartialRange partial) implements Command {
    public static final Syntax<Fetch> FETCH = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Fetch> UID_FETCH = (tag, in) -> parse(tag, in, true);
    /** No CHANGEDSINCE: every message named. */
    public static final long ANY_CHANGE = -1;

    public Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items) {
        this(tag, uid, set, items, ANY_CHANGE, false, null);
    }

    public Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items, long changedSince,
            boolean vanished) {
        this(tag, uid, set, items, changedSince, vanished, null);
    }

    @Override
    public String name() {
        return uid ? "UID FETCH" : "FETCH";
    }

    public boolean changedSinceGiven() {
        return changedSince != ANY_CHANGE;
    }

    private static Fetch parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var set = in.sequenceSet();
        in.space();
        var items = new FetchItems(in).items();
        long changedSince = ANY_CHANGE;
        boolean vanished = false;
        PartialRange partial = null;
        var reader = in.reader();
        if (reader.peek() == ' ') {
            in.space();
            reader.expect('(', "'(' before the fetch modifiers");
            do {
                if (changedSince != ANY_CHANGE || vanished || partial != null) {
                    in.space();
                }
                var name = reader.atom().toUpperCase(Locale.ROOT);
                switch (name) {
                    case "CHANGEDSINCE" -> {
                        if (changedSince != ANY_CHANGE) {
                            throw new ImapParseException("CHANGEDSINCE given twice");
                        }
                        in.space();
                        changedSince = in.modseq(false);
                    }
                    case "VANISHED" -> {
                        if (!uid || vanished) {
                            throw new ImapParseException("VANISHED is a modifier of UID FETCH, once");
                        }
                        vanished = true;
                    }
                    case "PARTIAL" -> {
                        if (!uid || partial != null) {
                            throw new ImapParseException("PARTIAL is a modifier of UID FETCH, once"); // RFC 9394 §3.3
                        }
                        in.space();
                        partial = PartialRange.parse(reader);
                    }
                    default -> throw new ImapParseException("Unknown fetch modifier " + Arguments.printable(name));
                }
            } while (reader.peek() != ')');
            reader.next();
            if (vanished && changedSince == ANY_CHANGE) {
                throw new ImapParseException("VANISHED needs CHANGEDSINCE"); // RFC 7162 §3.2.6
            }
        }
        return new Fetch(tag, uid, set, items, changedSince, vanished, partial);
    }
}
