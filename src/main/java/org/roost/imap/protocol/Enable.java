package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/** ENABLE (RFC 5161 §3.1): {@code "ENABLE" 1*(SP capability)}, the names upper-cased. */
public record Enable(String tag, List<String> capabilities) implements Command {
    public static final Syntax<Enable> SYNTAX = Enable::parse;

    @Override
    public String name() {
        return "ENABLE";
    }

    private static Enable parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var names = new ArrayList<String>();
        do {
            in.space();
            names.add(in.reader().atom().toUpperCase(Locale.ROOT));
        } while (in.reader().peek() == ' ');
        return new Enable(tag, List.copyOf(names));
    }
}
