package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Locale;
import org.roost.mail.FlagMode;
import org.roost.mail.FlagSet;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/**
 * STORE and UID STORE (RFC 3501 §6.4.6) with RFC 7162 §3.1.3's modifier:
 * {@code "STORE" SP sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP ["+" / "-"] "FLAGS"
 * [".SILENT"] SP (flag-list / (flag *(SP flag)))}.
 *
 * @param unchangedSince UNCHANGEDSINCE's mod-sequence, or {@link #UNCONDITIONAL}
 */
public record Store(String tag, boolean uid, SequenceSet set, FlagMode mode, boolean silent, FlagSet flags,
                    long unchangedSince) implements Command {
    public static final Syntax<Store> STORE = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Store> UID_STORE = (tag, in) -> parse(tag, in, true);
    /** No UNCHANGEDSINCE. */
    public static final long UNCONDITIONAL = Long.MAX_VALUE;

    public Store(String tag, boolean uid, SequenceSet set, FlagMode mode, boolean silent, FlagSet flags) {
        this(tag, uid, set, mode, silent, flags, UNCONDITIONAL);
    }

    @Override
    public String name() {
        return uid ? "UID STORE" : "STORE";
    }

    public boolean conditional() {
        return unchangedSince != UNCONDITIONAL;
    }

    private static Store parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var set = in.sequenceSet();
        in.space();
        long unchangedSince = UNCONDITIONAL;
        var reader = in.reader();
        if (reader.peek() == '(') {
            reader.next();
            var modifier = reader.atom().toUpperCase(Locale.ROOT);
            if (!modifier.equals("UNCHANGEDSINCE")) {
                throw new ImapParseException("Unknown store modifier " + Arguments.printable(modifier));
            }
            in.space();
            unchangedSince = in.modseq(true);
            reader.expect(')', "')' after the store modifier");
            in.space();
        }
        var item = reader.atom().toUpperCase(Locale.ROOT);
        var mode = switch (item.replace(".SILENT", "")) {
            case "FLAGS" -> FlagMode.REPLACE;
            case "+FLAGS" -> FlagMode.ADD;
            case "-FLAGS" -> FlagMode.REMOVE;
            default -> throw new ImapParseException("Expected FLAGS, +FLAGS or -FLAGS");
        };
        in.space();
        return new Store(tag, uid, set, mode, item.endsWith(".SILENT"), in.flagListOrFlags(), unchangedSince);
    }
}
