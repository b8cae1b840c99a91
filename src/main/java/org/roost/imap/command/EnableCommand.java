package org.roost.imap.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.imap.protocol.Enable;
import org.roost.imap.protocol.response.Reply;

/**
 * ENABLE (RFC 5161): turns on CONDSTORE and QRESYNC (RFC 7162 §3.2.3), UIDONLY (RFC 9586), UTF8=ACCEPT and IMAP4rev2
 * (RFC 9051 Appendix A) for the session; other names are ignored. Allowed with a mailbox selected too, which
 * RFC 5161 §3.1 leaves to the server, except for UIDONLY: the client's view of the selected mailbox is
 * numbered (RFC 9586 §3.1); and IMAP4rev2 and UTF8=ACCEPT: the selected mailbox was described to an IMAP4rev1
 * client (RFC 9051 §6.3.1: clients must not ENABLE once they selected; RFC 6855 §3: UTF8=ACCEPT is valid in the
 * authenticated state only), so they are ignored then. UTF8=ACCEPT switches mailbox names to UTF-8 (RFC 6855).
 */
public final class EnableCommand extends CommandExecutor<Enable> {
    /** Ignored with a mailbox selected: IMAP4rev2 (RFC 9051 §6.3.1) and UTF8=ACCEPT (RFC 6855 §3). */
    private static final Set<Extension> AUTHENTICATED_ONLY = EnumSet.of(Extension.IMAP4REV2, Extension.UTF8_ACCEPT);

    /**
     * ENABLE is listed before login too, as Dovecot does: clients that keep the greeting's list (Python's imaplib)
     * refuse to send ENABLE when it was not there, though the command itself is only valid after login.
     */
    public EnableCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("ENABLE", Enable.SYNTAX),
                List.of(Capability.always("ENABLE"), Capability.afterLogin("CONDSTORE"),
                        Capability.afterLogin("QRESYNC")));
    }

    @Override
    public Reply execute(Enable command, CommandContext context) throws IOException {
        if (context.selected() != null && command.capabilities().contains(Extension.UIDONLY.name())
                && !context.facts().has(Extension.UIDONLY)) {
            return Reply.bad("UIDONLY can only be enabled before a mailbox is selected."); // RFC 9586 §3.1
        }
        var before = context.facts().enabled();
        var named = new LinkedHashSet<Extension>();
        for (var name : command.capabilities()) {
            Extension.named(name).filter(e -> !before.contains(e))
                    .filter(e -> !AUTHENTICATED_ONLY.contains(e) || context.selected() == null).ifPresent(named::add);
        }
        for (var extension : named) {
            context.session().enable(extension);
        }
        var listed = new StringBuilder("ENABLED");
        named.forEach(e -> listed.append(' ').append(e.wireName()));
        context.writer().untagged(listed.toString());
        return Reply.ok("ENABLE completed.");
    }
}
