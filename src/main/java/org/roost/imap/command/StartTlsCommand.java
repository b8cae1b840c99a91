package org.roost.imap.command;

import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/**
 * STARTTLS (RFC 3501 §6.2.1): the OK goes out in plaintext, then the handshake; plaintext the
 * client pipelined after the command is discarded with the old buffers.
 */
public final class StartTlsCommand extends CommandExecutor<NoArguments> {
    private final Supplier<SSLContext> tls;

    public StartTlsCommand(Supplier<SSLContext> tls) {
        super(SessionState.NOT_AUTHENTICATED_ONLY, NoArguments.named("STARTTLS"),
                List.of(Capability.beforeLogin("STARTTLS", facts -> !facts.tls())));
        this.tls = tls;
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) {
        if (context.facts().tls()) {
            return Reply.bad("TLS is already active.");
        }
        context.session().afterOk(connection -> connection.startTls(tls.get()));
        return Reply.ok("Begin TLS negotiation now.");
    }
}
