package org.roost.imap.protocol;

import java.io.IOException;
import java.util.List;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/** FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8): {@code "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")}. */
public record Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items) implements Command {
    public static final Syntax<Fetch> FETCH = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Fetch> UID_FETCH = (tag, in) -> parse(tag, in, true);

    @Override
    public String name() {
        return uid ? "UID FETCH" : "FETCH";
    }

    private static Fetch parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var set = in.sequenceSet();
        in.space();
        return new Fetch(tag, uid, set, new FetchItems(in).items());
    }
}
