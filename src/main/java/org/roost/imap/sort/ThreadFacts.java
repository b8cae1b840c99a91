package org.roost.imap.sort;

import java.io.IOException;
import java.util.List;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.sort.BaseSubject;
import org.roost.mail.sort.MessageIds;
import org.roost.mail.sort.SentDate;
import org.roost.mail.sort.SortField;

/**
 * What threading needs of one message (RFC 5256 §3 THREAD): its sent date (§2.2), base subject
 * (§2.1), Message-ID and references, read from its cached structure.
 *
 * @param messageId  the normalized Message-ID, null when it has no valid one
 * @param references the References IDs, or else the first valid In-Reply-To ID; at most the last
 *                   {@code maxReferences}
 */
record ThreadFacts(long sentDate, BaseSubject subject, String messageId, List<String> references) {

    static ThreadFacts of(MailboxView view, int seq, int maxReferences) throws IOException {
        MessageStructure structure;
        try {
            structure = view.state().structure(view.message(seq));
        } catch (MessageNotFoundException gone) { // expunged meanwhile: a message without headers
            return new ThreadFacts(view.internalDateSeconds(seq), BaseSubject.EMPTY, null, List.of());
        }
        var envelope = structure.envelope();
        var sent = SentDate.parse(envelope.date());
        var references = MessageIds.all(String.join(" ", structure.headerValues("References")), maxReferences);
        if (references.isEmpty()) {
            var inReplyTo = MessageIds.first(envelope.inReplyTo());
            references = inReplyTo == null ? List.of() : List.of(inReplyTo);
        }
        return new ThreadFacts(sent != null ? sent : view.internalDateSeconds(seq),
                BaseSubject.of(SortField.decoded(envelope.subject())), MessageIds.first(envelope.messageId()),
                references);
    }
}
