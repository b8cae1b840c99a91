package org.roost.mail.mime;

import java.util.List;

/**
 * A FETCH BODY[section] specifier (RFC 3501 §6.4.5) without the partial range: a part path (empty for
 * the whole message) and what to take of it.
 */
public record SectionSpec(int[] path, Kind kind, List<String> fields) {

    public enum Kind {
        /** BODY[] or BODY[1.2]: the whole message or the part's body. */
        ALL,
        HEADER,
        HEADER_FIELDS,
        HEADER_FIELDS_NOT,
        TEXT,
        /** The part's own MIME header; needs a non-empty path. */
        MIME
    }

    public SectionSpec {
        path = path.clone();
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static SectionSpec of(Kind kind, int... path) {
        return new SectionSpec(path, kind, List.of());
    }

    public static SectionSpec fields(boolean not, List<String> names, int... path) {
        return new SectionSpec(path, not ? Kind.HEADER_FIELDS_NOT : Kind.HEADER_FIELDS, names);
    }

    @Override
    public int[] path() {
        return path.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SectionSpec s && java.util.Arrays.equals(path, s.path) && kind == s.kind
                && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(path) * 31 + kind.hashCode() * 7 + fields.hashCode();
    }

    @Override
    public String toString() {
        return "SectionSpec" + java.util.Arrays.toString(path) + kind + fields;
    }
}
