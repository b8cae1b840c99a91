package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.roost.net.ProtocolViolation;

/** LOGIN (RFC 3501 §6.2.3): {@code "LOGIN" SP userid SP password}; the password stays bytes. */
public record Login(String tag, String user, byte[] password) implements Command {
    public static final Syntax<Login> SYNTAX = Login::parse;

    @Override
    public String name() {
        return "LOGIN";
    }

    private static Login parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var user = in.astring();
        in.space();
        return new Login(tag, user, in.reader().astring());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Login l && tag.equals(l.tag) && user.equals(l.user) && Arrays.equals(password, l.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, user, Arrays.hashCode(password));
    }

    @Override
    public String toString() {
        return "Login[" + tag + ", " + user + "]";
    }
}
