package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.net.ProtocolViolation;

/** RESETKEY (RFC 4467 §7, §9): {@code "RESETKEY" [SP mailbox *(SP mechanism)]}; mechanisms upper-cased. */
public record ResetKey(String tag, Optional<MailboxName> mailbox, List<String> mechanisms) implements Command {
    public static final Syntax<ResetKey> SYNTAX = ResetKey::parse;

    public ResetKey {
        mechanisms = List.copyOf(mechanisms);
    }

    @Override
    public String name() {
        return "RESETKEY";
    }

    private static ResetKey parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        if (in.reader().peek() != ' ') {
            return new ResetKey(tag, Optional.empty(), List.of());
        }
        var mailbox = in.mailboxArgument();
        var mechanisms = new ArrayList<String>();
        while (in.reader().peek() == ' ') {
            in.space();
            mechanisms.add(in.mechanism());
        }
        return new ResetKey(tag, Optional.of(mailbox), mechanisms);
    }
}
