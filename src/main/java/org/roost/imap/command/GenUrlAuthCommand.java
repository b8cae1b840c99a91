package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import org.roost.imap.protocol.Arguments;
import org.roost.imap.protocol.GenUrlAuth;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.urlauth.UrlAuthority;

/**
 * GENURLAUTH (RFC 4467 §7): authorizes URLs of the user's own mailboxes with their access keys. Every URL is checked
 * before any is authorized; a check that fails is BAD (§7): another mechanism than INTERNAL, an owner other than
 * the logged-in user (whose table is the only one a session may use, §7 (2)), a mailbox that does not exist
 * (§7 (1): the user's own, so nothing is told that the user could not LIST).
 */
public final class GenUrlAuthCommand extends CommandExecutor<GenUrlAuth> {
    private final UrlAuthority authority;

    public GenUrlAuthCommand(UrlAuthority authority) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("GENURLAUTH", GenUrlAuth.SYNTAX));
        this.authority = authority;
    }

    @Override
    public Reply execute(GenUrlAuth command, CommandContext context) throws IOException {
        var user = context.facts().user().orElseThrow();
        var mailboxes = context.mailboxes();
        var names = new ArrayList<String>();
        for (var request : command.requests()) {
            var rump = request.rump();
            if (!request.mechanism().equals(UrlAuthority.MECHANISM)) {
                return Reply.bad("Unsupported URLAUTH mechanism " + Arguments.printable(request.mechanism()) + ".");
            }
            if (!rump.owner().equals(user)) {
                return Reply.bad("The URL's owner must be the logged-in user.");
            }
            if (!(rump.part().mailbox() instanceof MailboxName.Valid name) || !mailboxes.exists(name.name())) {
                return Reply.bad("The URL's mailbox does not exist.");
            }
            names.add(name.name());
        }
        var response = new StringBuilder("GENURLAUTH");
        for (int i = 0; i < names.size(); i++) {
            var url = authority.authorize(command.requests().get(i).rump(), names.get(i), mailboxes);
            response.append(' ').append(ImapStrings.quoted(url));
        }
        context.writer().untagged(response.toString());
        return Reply.ok("GENURLAUTH completed.");
    }
}
