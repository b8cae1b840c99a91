package org.roost.imap.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.roost.mail.mime.SectionSpec;

/** One {@code fetch-att} of RFC 3501 §6.4.5 (macros are expanded by the parser). */
public sealed interface FetchItem {
    record Envelope() implements FetchItem {}

    record Flags() implements FetchItem {}

    record InternalDate() implements FetchItem {}

    record Rfc822Size() implements FetchItem {}

    record Uid() implements FetchItem {}

    /** MODSEQ (RFC 7162 §3.1.4.2). */
    record Modseq() implements FetchItem {}

    /** EMAILID (RFC 8474 §5.3). */
    record EmailId() implements FetchItem {}

    /** THREADID (RFC 8474 §5.3). */
    record ThreadId() implements FetchItem {}

    /** SAVEDATE (RFC 8514 §4.2). */
    record SaveDate() implements FetchItem {}

    /**
     * PREVIEW (RFC 8970 §3), with the LAZY modifier (§4.1): only a preview made before, else NIL; {@code form}: how
     * the answer is written, as RFC 8970 or as one of the drafts before it that Dovecot 2.3 still answers.
     */
    record Preview(boolean lazy, PreviewForm form) implements FetchItem {}

    /** The names a preview is asked for and answered under. */
    enum PreviewForm {
        /** RFC 8970 §6: {@code PREVIEW "text"}. */
        PREVIEW,
        /**
         * PREVIEW=FUZZY, draft-ietf-extra-imap-fetch-preview-06 §3: {@code PREVIEW (FUZZY)} or {@code (LAZY=FUZZY)}
         * names the algorithm, and the answer does too: {@code PREVIEW (FUZZY "text")}.
         */
        FUZZY_PREVIEW,
        /**
         * SNIPPET=FUZZY, draft-slusarz-imap-fetch-snippet-00: {@code SNIPPET [(FUZZY)]}, always answered with the
         * algorithm: {@code SNIPPET (FUZZY "text")}.
         */
        SNIPPET
    }

    /** BODYSTRUCTURE ({@code extensible}) or BODY without a section. */
    record Structure(boolean extensible) implements FetchItem {}

    /**
     * BODY[section]&lt;partial&gt;, BODY.PEEK[...] and the RFC822, RFC822.HEADER, RFC822.TEXT forms
     * ({@code legacyName} is then the name the response uses).
     */
    record Section(boolean peek, int[] part, SectionText text, List<String> fields, long origin, long count,
            String legacyName) implements FetchItem {
        public static final long NO_PARTIAL = -1;

        public boolean setsSeen() {
            return !peek;
        }

        /** What the section takes of the message, without the partial range. */
        public SectionSpec spec() {
            return switch (text) {
                case NONE -> SectionSpec.of(SectionSpec.Kind.ALL, part);
                case HEADER -> SectionSpec.of(SectionSpec.Kind.HEADER, part);
                case TEXT -> SectionSpec.of(SectionSpec.Kind.TEXT, part);
                case MIME -> SectionSpec.of(SectionSpec.Kind.MIME, part);
                case HEADER_FIELDS -> SectionSpec.fields(false, fields, part);
                case HEADER_FIELDS_NOT -> SectionSpec.fields(true, fields, part);
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Section s && peek == s.peek && Arrays.equals(part, s.part) && text == s.text
                    && fields.equals(s.fields) && origin == s.origin && count == s.count
                    && Objects.equals(legacyName, s.legacyName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(peek, Arrays.hashCode(part), text, fields, origin, count, legacyName);
        }

        @Override
        public String toString() {
            return "Section[" + responseName() + (peek ? ", peek" : "") + "]";
        }

        /** The section as echoed in the response, e.g. {@code BODY[1.HEADER.FIELDS (FROM)]<0>}. */
        public String responseName() {
            if (legacyName != null) {
                return legacyName;
            }
            var sb = new StringBuilder("BODY[");
            for (int i = 0; i < part.length; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(part[i]);
            }
            if (text != SectionText.NONE) {
                if (part.length > 0) {
                    sb.append('.');
                }
                sb.append(text.label());
                if (text == SectionText.HEADER_FIELDS || text == SectionText.HEADER_FIELDS_NOT) {
                    sb.append(" (").append(String.join(" ", fields)).append(')');
                }
            }
            sb.append(']');
            if (origin != NO_PARTIAL) {
                sb.append('<').append(origin).append('>');
            }
            return sb.toString();
        }
    }

    /**
     * BINARY[section-part]&lt;partial&gt; and BINARY.PEEK (RFC 3516 §4.2): the part's content with its
     * transfer encoding undone; {@code origin} and {@code count} count decoded bytes.
     */
    record Binary(boolean peek, int[] part, long origin, long count) implements FetchItem {
        public boolean setsSeen() {
            return !peek;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && peek == b.peek && Arrays.equals(part, b.part) && origin == b.origin
                    && count == b.count;
        }

        @Override
        public int hashCode() {
            return Objects.hash(peek, Arrays.hashCode(part), origin, count);
        }

        @Override
        public String toString() {
            return "Binary[" + responseName() + (peek ? ", peek" : "") + "]";
        }

        /** The item as echoed in the response: {@code BINARY[1.2]}, {@code BINARY[1.2]<0>} (RFC 3516 §4.3). */
        public String responseName() {
            var name = "BINARY" + sectionPart(part);
            return origin == Section.NO_PARTIAL ? name : name + "<" + origin + ">";
        }
    }

    /** BINARY.SIZE[section-part] (RFC 3516 §4.2): the size BINARY[section-part] has. */
    record BinarySize(int[] part) implements FetchItem {
        @Override
        public boolean equals(Object o) {
            return o instanceof BinarySize b && Arrays.equals(part, b.part);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(part);
        }

        @Override
        public String toString() {
            return responseName();
        }

        public String responseName() {
            return "BINARY.SIZE" + sectionPart(part);
        }
    }

    /** {@code section-binary}: {@code [1.2]}, {@code []} for the whole message. */
    private static String sectionPart(int[] part) {
        return Arrays.stream(part).mapToObj(Integer::toString).collect(Collectors.joining(".", "[", "]"));
    }

    enum SectionText {
        NONE(""), HEADER("HEADER"), HEADER_FIELDS("HEADER.FIELDS"), HEADER_FIELDS_NOT("HEADER.FIELDS.NOT"),
        TEXT("TEXT"), MIME("MIME");

        private final String label;

        SectionText(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
