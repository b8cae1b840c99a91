package org.roost.imap.protocol;

import java.util.Optional;
import org.roost.mail.SequenceSet;

/** EXPUNGE (RFC 3501 §6.4.3), or UID EXPUNGE (RFC 4315 §2.1) when {@code uids} is present: {@code "UID EXPUNGE" SP sequence-set}. */
public record Expunge(String tag, Optional<SequenceSet> uids) implements Command {
    public static final Syntax<Expunge> EXPUNGE = (tag, in) -> new Expunge(tag, Optional.empty());
    public static final Syntax<Expunge> UID_EXPUNGE = (tag, in) -> {
        in.space();
        return new Expunge(tag, Optional.of(in.sequenceSet()));
    };

    @Override
    public String name() {
        return uids.isPresent() ? "UID EXPUNGE" : "EXPUNGE";
    }
}
