package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/** COMPRESS (RFC 4978 §5): {@code "COMPRESS" SP algorithm}, the algorithm upper-cased. */
public record Compress(String tag, String algorithm) implements Command {
    public static final Syntax<Compress> SYNTAX = Compress::parse;

    @Override
    public String name() {
        return "COMPRESS";
    }

    private static Compress parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        return new Compress(tag, in.reader().atom().toUpperCase(Locale.ROOT));
    }
}
