package org.roost.imap.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
