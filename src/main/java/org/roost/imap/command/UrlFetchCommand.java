package org.roost.imap.command;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.UrlFetch;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.urlauth.PartBytes;
import org.roost.imap.urlauth.UrlAuthority;

/**
 * URLFETCH (RFC 4467 §7): one untagged URLFETCH with each URL as sent and its part's octets, or NIL for any URL
 * that does not validate, whatever the reason (§8: nothing tells a mailbox that exists from one that does not). Only
 * URLAUTH-authorized URLs are fetched (§9 {@code url-full}). Nothing of a selected mailbox changes, no
 * {@code \Seen} is set. Every URL is checked before the response starts, so a response is never cut short by one.
 */
public final class UrlFetchCommand extends CommandExecutor<UrlFetch> {
    private final UrlAuthority authority;

    public UrlFetchCommand(UrlAuthority authority) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("URLFETCH", UrlFetch.SYNTAX));
        this.authority = authority;
    }

    @Override
    public Reply execute(UrlFetch command, CommandContext context) throws IOException {
        var user = context.facts().user().orElseThrow();
        var now = Instant.now();
        var found = new ArrayList<Optional<PartBytes>>();
        for (var url : command.urls()) {
            found.add(url instanceof ImapUrl.Authorized authorized
                    ? authority.fetch(authorized, user, context.mailboxes(), now) : Optional.empty());
        }
        var writer = context.writer();
        writer.ascii("* URLFETCH");
        for (int i = 0; i < found.size(); i++) {
            writer.ascii(" ").latin1(ImapStrings.quoted(command.urls().get(i).text())).ascii(" ");
            var bytes = found.get(i);
            if (bytes.isEmpty()) {
                writer.ascii("NIL");
                continue;
            }
            writer.ascii("{" + bytes.get().size() + "}").endLine();
            try (var in = bytes.get().source().open()) {
                in.transferTo(writer.stream());
            }
        }
        writer.endLine();
        return Reply.ok("URLFETCH completed.");
    }
}
