package org.roost.imap.command;

import java.util.Map;
import org.roost.imap.protocol.Compress;
import org.roost.imap.protocol.response.Reply;
import org.roost.net.Deflate;

/**
 * COMPRESS=DEFLATE (RFC 4978 §3), after login: the OK goes out plain, everything after its CRLF is
 * compressed both ways. A second COMPRESS is refused with {@code [COMPRESSIONACTIVE]}, as Dovecot and
 * Cyrus do (the same mechanism is active already). Works over TLS, compressing below it (§3: first
 * COMPRESS, then TLS).
 */
public final class CompressCommand extends CommandExecutor<Compress> {
    private static final String DEFLATE = "DEFLATE";
    /** Advertised after the other extensions (the order of CAPABILITY stays stable as extensions are added). */
    public static final Capability CAPABILITY = Capability.afterLogin("COMPRESS=" + DEFLATE);
    private final Deflate deflate;

    public CompressCommand(Deflate deflate) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("COMPRESS", Compress.SYNTAX));
        this.deflate = deflate;
    }

    @Override
    public Reply execute(Compress command, CommandContext context) {
        if (!command.algorithm().equals(DEFLATE)) {
            return Reply.bad("Unknown compression algorithm.");
        }
        if (context.session().compressed()) {
            return Reply.no("COMPRESSIONACTIVE", "DEFLATE active via COMPRESS.");
        }
        context.session().afterOk(connection -> connection.startCompression(deflate));
        return Reply.ok("DEFLATE active.");
    }
}
