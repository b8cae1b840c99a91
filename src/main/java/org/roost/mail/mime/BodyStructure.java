package org.roost.mail.mime;

import java.util.List;

/**
 * BODY/BODYSTRUCTURE data (RFC 3501 §7.4.2) with the values exactly as they go on the wire
 * (raw header bytes, one char per byte). Null means NIL, an empty parameter list is written NIL.
 */
public sealed interface BodyStructure permits BodyStructure.Single, BodyStructure.Multi {

    /** Content-Disposition: the type and its parameters (empty list = NIL). */
    record Disposition(String type, List<Param> params) {
    }

    /**
     * A non-multipart part. {@code lines} is the body line count for text parts and message/rfc822,
     * -1 otherwise; {@code envelope} and {@code body} are set only for message/rfc822.
     */
    record Single(String type, String subtype, List<Param> params, String id, String description,
                  String encoding, long size, long lines, String md5, Disposition disposition,
                  List<String> language, String location, Envelope envelope, BodyStructure body)
            implements BodyStructure {

        public boolean isText() {
            return lines >= 0 && envelope == null;
        }

        public boolean isMessage() {
            return envelope != null;
        }
    }

    /** A multipart; {@code children} is never empty (Dovecot reports a 0-byte text/plain instead). */
    record Multi(List<BodyStructure> children, String subtype, List<Param> params,
                 Disposition disposition, List<String> language, String location) implements BodyStructure {
    }
}
