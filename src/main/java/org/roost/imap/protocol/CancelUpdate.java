package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roost.net.ProtocolViolation;

/** CANCELUPDATE (RFC 5267 §4.3.5, §5): {@code "CANCELUPDATE" 1*(SP tag-string)}, a tag-string being a string. */
public record CancelUpdate(String tag, List<String> tags) implements Command {
    public static final Syntax<CancelUpdate> SYNTAX = CancelUpdate::parse;

    @Override
    public String name() {
        return "CANCELUPDATE";
    }

    private static CancelUpdate parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var tags = new ArrayList<String>();
        do {
            in.space();
            tags.add(in.string());
        } while (in.reader().peek() == ' ');
        return new CancelUpdate(tag, List.copyOf(tags));
    }
}
