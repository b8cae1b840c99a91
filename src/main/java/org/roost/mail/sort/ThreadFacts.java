package org.roost.mail.sort;

import java.util.List;
import org.roost.mail.mime.MessageHeader;

/**
 * What threading needs of one message (RFC 5256 §3 THREAD): its sent date (§2.2), base subject
 * (§2.1), Message-ID and references, read from its header. Made only while {@link ThreadKeys}
 * are built; the keys hold them as numbers.
 *
 * @param messageId  the normalized Message-ID, null when it has no valid one
 * @param references the References IDs, or else the first valid In-Reply-To ID; at most the last
 *                   {@code maxReferences}
 */
public record ThreadFacts(long sentDate, BaseSubject subject, String messageId, List<String> references) {

    /** The facts of a message, {@code internalDate} standing for a missing or invalid Date: field. */
    public static ThreadFacts of(MessageHeader header, long internalDate, int maxReferences) {
        var envelope = header.envelope();
        var sent = SentDate.parse(envelope.date());
        var references = MessageIds.all(String.join(" ", header.values("References")), maxReferences);
        if (references.isEmpty()) {
            var inReplyTo = MessageIds.first(envelope.inReplyTo());
            references = inReplyTo == null ? List.of() : List.of(inReplyTo);
        }
        return new ThreadFacts(sent != null ? sent : internalDate,
                BaseSubject.of(SortField.decoded(envelope.subject())), MessageIds.first(envelope.messageId()),
                references);
    }

    /** The facts of a message without headers (one expunged meanwhile). */
    public static ThreadFacts headerless(long internalDate) {
        return new ThreadFacts(internalDate, BaseSubject.EMPTY, null, List.of());
    }
}
