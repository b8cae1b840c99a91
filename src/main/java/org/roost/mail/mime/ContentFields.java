package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Content-* fields of one part (RFC 2045 §5, §6, §7, §8; RFC 2183; RFC 3066; RFC 2557;
 * RFC 1864). The first occurrence of each field wins. Values are raw (one char per byte);
 * {@code subtype} is null when the Content-Type had no "/", {@code type} null without Content-Type.
 */
record ContentFields(String type, String subtype, boolean typeBroken, List<Param> params,
                     String id, String description, String encoding, String md5,
                     String disposition, List<Param> dispositionParams, List<String> language,
                     String location) {

    static final ContentFields NONE = new ContentFields(null, null, false, List.of(), null, null, null,
            null, null, List.of(), null, null);

    /**
     * Content-* fields count only in a MIME entity: one with MIME-Version or Content-Type, or any
     * part of a multipart (RFC 2045 §4; Dovecot's lenient reading). Elsewhere all defaults apply.
     */
    static ContentFields of(List<HeaderField> fields, boolean inMultipart) {
        if (!inMultipart && fields.stream().noneMatch(f -> f.value() != null
                && (f.name().equalsIgnoreCase("MIME-Version") || f.name().equalsIgnoreCase("Content-Type")))) {
            return NONE;
        }
        return of(fields);
    }

    private static ContentFields of(List<HeaderField> fields) {
        String type = null;
        String subtype = null;
        boolean typeSeen = false;
        boolean typeBroken = false;
        List<Param> params = List.of();
        String id = null;
        String description = null;
        String encoding = null;
        String md5 = null;
        String disposition = null;
        List<Param> dispositionParams = List.of();
        List<String> language = null;
        String location = null;
        for (HeaderField f : fields) {
            String value = f.value();
            if (value == null || f.name().length() < 8
                    || !f.name().regionMatches(true, 0, "Content-", 0, 8)) {
                continue;
            }
            switch (f.name().substring(8).toLowerCase(Locale.ROOT)) {
                case "type" -> {
                    if (!typeSeen) {
                        typeSeen = true;
                        Rfc822Parser p = new Rfc822Parser(value, false);
                        p.skipLwsp();
                        StringBuilder sb = new StringBuilder();
                        int ret = p.contentType(sb);
                        int slash = sb.indexOf("/");
                        type = slash < 0 ? sb.toString() : sb.substring(0, slash);
                        subtype = slash < 0 ? null : sb.substring(slash + 1);
                        typeBroken = ret < 0;
                        if (!typeBroken) {
                            params = List.copyOf(ParamParser.parse(p));
                        }
                    }
                }
                case "transfer-encoding" -> {
                    if (encoding == null) {
                        encoding = transferEncoding(value);
                    }
                }
                case "id" -> id = id == null ? Envelope.noNul(value) : id;
                case "description" -> description = description == null ? Envelope.noNul(value) : description;
                case "md5" -> md5 = md5 == null ? Envelope.noNul(value) : md5;
                case "location" -> location = location == null ? Envelope.noNul(value) : location;
                case "language" -> {
                    if (language == null) {
                        language = languages(value);
                    }
                }
                case "disposition" -> {
                    if (dispositionParams.isEmpty()) { // Dovecot quirk: a later one wins if the first had no params
                        Rfc822Parser p = new Rfc822Parser(value, false);
                        p.skipLwsp();
                        StringBuilder sb = new StringBuilder();
                        if (p.mimeToken(sb) >= 0) {
                            disposition = sb.toString();
                            dispositionParams = List.copyOf(ParamParser.parse(p));
                        }
                    }
                }
                default -> {
                    // other Content-* fields are not part of BODYSTRUCTURE
                }
            }
        }
        return new ContentFields(type, subtype, typeBroken, params, id, description, encoding, md5,
                disposition, dispositionParams, language, location);
    }

    private static String transferEncoding(String value) {
        Rfc822Parser p = new Rfc822Parser(value, false);
        p.skipLwsp();
        StringBuilder sb = new StringBuilder();
        if (p.mimeToken(sb) >= 0 && p.skipLwsp() == 0 && !sb.isEmpty()) {
            return sb.toString();
        }
        return null;
    }

    private static List<String> languages(String value) {
        Rfc822Parser p = new Rfc822Parser(value, false);
        List<String> langs = new ArrayList<>();
        p.skipLwsp();
        StringBuilder sb = new StringBuilder();
        while (p.atom(sb) >= 0) {
            langs.add(sb.toString());
            sb.setLength(0);
            if (p.atEnd() || p.cur() != ',') {
                break;
            }
            p.pos++;
            p.skipLwsp();
        }
        return langs.isEmpty() ? null : List.copyOf(langs);
    }

    boolean isType(String t) {
        return type != null && type.equalsIgnoreCase(t);
    }

    /** RFC 2045 §5.2: no Content-Type means text/plain (message/rfc822 inside multipart/digest). */
    boolean isText() {
        return type == null || isType("text");
    }

    /** multipart/&lt;anything&gt;; a bare "multipart" is not one (Dovecot: application/octet-stream). */
    boolean isMultipart() {
        return isType("multipart") && subtype != null;
    }

    /** The subtype as reported: empty when the Content-Type had none. */
    String subtypeOrEmpty() {
        return subtype == null ? "" : subtype;
    }

    boolean isMessageRfc822() {
        return isType("message") && "rfc822".equalsIgnoreCase(subtype);
    }

    /** The boundary parameter (RFC 2046 §5.1.1), or null when missing or empty. */
    String boundary() {
        for (Param p : params) {
            if (p.name().equalsIgnoreCase("boundary")) {
                return p.value().isEmpty() ? null : p.value();
            }
        }
        return null;
    }

    /** The charset parameter, or null. */
    String charset() {
        for (Param p : params) {
            if (p.name().equalsIgnoreCase("charset")) {
                return p.value();
            }
        }
        return null;
    }
}
