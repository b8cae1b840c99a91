package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.net.ProtocolViolation;

/** SEARCH and UID SEARCH (RFC 3501 §6.4.4): {@code "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)}. */
public record Search(String tag, boolean uid, String charset, SearchKey key) implements Command {
    public static final Syntax<Search> SEARCH = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Search> UID_SEARCH = (tag, in) -> parse(tag, in, true);

    @Override
    public String name() {
        return uid ? "UID SEARCH" : "SEARCH";
    }

    private static Search parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        return new SearchParser(in).parse(tag, uid);
    }
}
