package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/** THREAD and UID THREAD (RFC 5256 §3, §5): {@code "THREAD" SP thread-alg SP charset 1*(SP search-key)}. */
public record Threading(String tag, boolean uid, Algorithm algorithm, String charset, SearchKey key)
        implements SearchCriteria {
    public static final Syntax<Threading> THREAD = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Threading> UID_THREAD = (tag, in) -> parse(tag, in, true);

    /** thread-alg: RFC 5256's two, and REFS (draft-ietf-morg-inthread). */
    public enum Algorithm { ORDEREDSUBJECT, REFERENCES, REFS }

    @Override
    public String name() {
        return uid ? "UID THREAD" : "THREAD";
    }

    private static Threading parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var name = in.reader().atom().toUpperCase(Locale.ROOT);
        Algorithm algorithm;
        try {
            algorithm = Algorithm.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException("Unknown threading algorithm " + Arguments.printable(name));
        }
        var search = new SearchParser(in);
        in.space();
        var charset = search.charset();
        in.space();
        return new Threading(tag, uid, algorithm, charset, search.keys());
    }
}
