package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.imap.protocol.Arguments;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.ResetKey;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.urlauth.UrlAuthority;

/**
 * RESETKEY (RFC 4467 §7): a new access key for one mailbox, or none left for any, revoking the URLs authorized
 * with the old ones. The untagged URLMECH to the user's other sessions that have the mailbox selected is not sent
 * (Dovecot does not either): it tells them nothing an INTERNAL-only server could act on.
 */
public final class ResetKeyCommand extends CommandExecutor<ResetKey> {

    public ResetKeyCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("RESETKEY", ResetKey.SYNTAX));
    }

    @Override
    public Reply execute(ResetKey command, CommandContext context) throws IOException {
        for (var mechanism : command.mechanisms()) {
            if (!mechanism.equals(UrlAuthority.MECHANISM)) {
                return Reply.bad("Unsupported URLAUTH mechanism " + Arguments.printable(mechanism) + ".");
            }
        }
        var keys = context.mailboxes().urlAuthKeys();
        if (command.mailbox().isEmpty()) {
            keys.removeAll();
            return Reply.ok("All keys removed.");
        }
        if (!(command.mailbox().get() instanceof MailboxName.Valid name) || !context.mailboxes().exists(name.name())) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        keys.renew(name.name(), context.mailboxes().open(name.name()).current().uidValidity());
        return Reply.ok("URLMECH INTERNAL", "Key reset.");
    }
}
