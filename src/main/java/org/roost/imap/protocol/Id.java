package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.roost.net.ProtocolViolation;

/**
 * ID (RFC 2971 §3.1): {@code "ID" SP ("(" string SP nstring *(SP string SP nstring) ")" / "NIL")},
 * at most {@link ParserSettings#maxIdParameters()} field-value pairs. The parameters are a flat
 * list, field then value ({@code null} for NIL).
 */
public record Id(String tag, List<String> parameters) implements Command {
    public static final Syntax<Id> SYNTAX = Id::parse;

    @Override
    public String name() {
        return "ID";
    }

    private static Id parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var reader = in.reader();
        var params = new ArrayList<String>();
        if (reader.peek() != '(') {
            if (!reader.atom().equalsIgnoreCase("NIL")) {
                throw new ImapParseException("Expected a parameter list or NIL");
            }
            return new Id(tag, List.of());
        }
        reader.next();
        while (reader.peek() != ')') {
            if (!params.isEmpty()) {
                reader.space();
            }
            params.add(in.string());
            reader.space();
            var value = reader.nstring();
            params.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
            if (params.size() > 2 * in.settings().maxIdParameters()) {
                throw new ImapParseException("Too many ID parameters");
            }
        }
        reader.next();
        return new Id(tag, Collections.unmodifiableList(params));
    }
}
