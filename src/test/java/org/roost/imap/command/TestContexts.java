package org.roost.imap.command;

import java.io.OutputStream;
import java.util.Optional;
import java.util.Set;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.index.MailboxView;
import org.roost.metrics.RoostMetrics;
import org.roost.net.Cancellation;

/** Contexts for running an executor of the selected state on its own, without a session around it. */
public final class TestContexts {
    private static final RoostMetrics METRICS = new RoostMetrics();

    private TestContexts() {}

    /** {@code view} selected, the responses written to {@code out}. */
    public static CommandContext selected(MailboxView view, OutputStream out, Cancellation cancellation) {
        var facts = new SessionFacts("test", "imap", SessionState.SELECTED, Optional.of("test"), false, true,
                Set.of(), false);
        return new CommandContext(new ImapWriter(out), facts, null, new SelectedMailbox(view, view.state().name(), "test", 64 * 1024), METRICS,
                cancellation, null);
    }
}
