package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Locale;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/**
 * SELECT, or EXAMINE when {@code readOnly} (RFC 3501 §6.3.1, §6.3.2), with the parameters of RFC 4466
 * §2.4 that Roost knows (RFC 7162 §3.1.8 CONDSTORE, §3.2.5 QRESYNC):
 * {@code "SELECT" SP mailbox [SP "(" select-param *(SP select-param) ")"]}.
 *
 * @param qresync the QRESYNC parameter, or null
 */
public record Select(String tag, MailboxName mailbox, boolean readOnly, boolean condstore, Qresync qresync)
        implements Command {
    public static final Syntax<Select> SELECT = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Select> EXAMINE = (tag, in) -> parse(tag, in, true);

    /**
     * {@code "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"}.
     *
     * @param knownUids         null: "1:<maxuid>" (RFC 7162 §3.2.5.1)
     * @param knownSequences    with {@code knownSequenceUids}, the seq-match-data (§3.2.5.2), or both null
     */
    public record Qresync(long uidValidity, long modseq, SequenceSet knownUids, SequenceSet knownSequences,
                          SequenceSet knownSequenceUids) {}

    public Select(String tag, MailboxName mailbox, boolean readOnly) {
        this(tag, mailbox, readOnly, false, null);
    }

    @Override
    public String name() {
        return readOnly ? "EXAMINE" : "SELECT";
    }

    private static Select parse(String tag, Arguments in, boolean readOnly)
            throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = in.mailboxArgument();
        var reader = in.reader();
        boolean condstore = false;
        Qresync qresync = null;
        if (reader.peek() == ' ') {
            reader.space();
            reader.expect('(', "'(' before the select parameters");
            do {
                if (condstore || qresync != null) {
                    reader.space();
                }
                var name = reader.atom().toUpperCase(Locale.ROOT);
                switch (name) {
                    case "CONDSTORE" -> condstore = true;
                    case "QRESYNC" -> {
                        if (qresync != null) {
                            throw new ImapParseException("QRESYNC given twice");
                        }
                        qresync = qresync(in);
                    }
                    default -> throw new ImapParseException("Unknown select parameter " + Arguments.printable(name));
                }
            } while (reader.peek() != ')');
            reader.next();
        }
        return new Select(tag, mailbox, readOnly, condstore, qresync);
    }

    private static Qresync qresync(Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        in.space();
        reader.expect('(', "'(' after QRESYNC");
        long uidValidity = reader.number();
        if (uidValidity == 0) {
            throw new ImapParseException("UIDVALIDITY must not be 0");
        }
        in.space();
        // RFC 7162 §7 asks for a mod-sequence-value (not 0); 0 is taken, as Dovecot takes it: "since the start"
        long modseq = in.modseq(true);
        SequenceSet knownUids = null;
        SequenceSet knownSequences = null;
        SequenceSet knownSequenceUids = null;
        if (reader.peek() == ' ') {
            in.space();
            boolean matchData = reader.peek() == '(';
            if (!matchData) {
                knownUids = in.sequenceSetWithoutStar();
                if (reader.peek() == ' ') {
                    in.space();
                    matchData = true;
                }
            }
            if (matchData) {
                reader.expect('(', "'(' before the sequence match data");
                knownSequences = in.sequenceSetWithoutStar();
                in.space();
                knownSequenceUids = in.sequenceSetWithoutStar();
                reader.expect(')', "')' after the sequence match data");
            }
        }
        reader.expect(')', "')' after the QRESYNC parameters");
        return new Qresync(uidValidity, modseq, knownUids, knownSequences, knownSequenceUids);
    }
}
