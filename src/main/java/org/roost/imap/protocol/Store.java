package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Locale;
import org.roost.mail.FlagMode;
import org.roost.mail.FlagSet;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/**
 * STORE and UID STORE (RFC 3501 §6.4.6):
 * {@code "STORE" SP sequence-set SP ["+" / "-"] "FLAGS" [".SILENT"] SP (flag-list / (flag *(SP flag)))}.
 */
public record Store(String tag, boolean uid, SequenceSet set, FlagMode mode, boolean silent, FlagSet flags)
        implements Command {
    public static final Syntax<Store> STORE = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Store> UID_STORE = (tag, in) -> parse(tag, in, true);

    @Override
    public String name() {
        return uid ? "UID STORE" : "STORE";
    }

    private static Store parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var set = in.sequenceSet();
        in.space();
        var item = in.reader().atom().toUpperCase(Locale.ROOT);
        var mode = switch (item.replace(".SILENT", "")) {
            case "FLAGS" -> FlagMode.REPLACE;
            case "+FLAGS" -> FlagMode.ADD;
            case "-FLAGS" -> FlagMode.REMOVE;
            default -> throw new ImapParseException("Expected FLAGS, +FLAGS or -FLAGS");
        };
        in.space();
        return new Store(tag, uid, set, mode, item.endsWith(".SILENT"), in.flagListOrFlags());
    }
}
