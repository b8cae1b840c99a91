package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the {@code ;name=value} list after a Content-Type/Disposition value and merges RFC 2231
 * continuations ({@code name*0}, {@code name*1*}, ...) into one parameter, the way Dovecot reports
 * them: plain continuations become {@code name}, ones with an encoded section become {@code name*}
 * with the still-encoded value (clients decode charset'lang'%XX themselves).
 */
final class ParamParser {
    private record Section(String key, int index, boolean extended, String value) {
    }

    private ParamParser() {
    }

    static List<Param> parse(Rfc822Parser parser) {
        List<Param> result = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        String[] kv = new String[2];
        int lastIndex = 0;
        int ret;
        String previousReplacement = parser.nulReplacement;
        parser.nulReplacement = HeaderParser.REPLACEMENT; // a quoted NUL shows as U+FFFD
        while ((ret = parser.contentParam(kv)) != 0) {
            if (ret < 0) {
                if (parser.atEnd()) {
                    break;
                }
                parser.pos++;
                continue;
            }
            Section section = section(kv[0], kv[1], lastIndex);
            if (section != null) {
                lastIndex = section.index();
                sections.add(section);
            } else {
                result.add(new Param(kv[0], kv[1]));
            }
        }
        parser.nulReplacement = previousReplacement;
        if (!sections.isEmpty()) {
            merge(sections, result);
        }
        return result;
    }

    /**
     * Splits {@code key*N*}; null when the key is no RFC 2231 form. A bare {@code key*} takes the
     * index of the previous section, as Dovecot 2.3 does (it reuses that field), so that the
     * parameter names in BODYSTRUCTURE come out the same.
     */
    private static Section section(String key, String value, int previousIndex) {
        int star = key.indexOf('*');
        if (star < 0) {
            return null;
        }
        int p = star;
        long index = previousIndex;
        if (p + 1 < key.length()) {
            p++;
            index = 0;
            while (p < key.length() && key.charAt(p) >= '0' && key.charAt(p) <= '9') {
                index = Math.min(Integer.MAX_VALUE, index * 10 + key.charAt(p) - '0');
                p++;
            }
        }
        boolean extended = false;
        if (p < key.length() && key.charAt(p) == '*') {
            extended = true;
            p++;
        }
        if (p != key.length()) {
            return null;
        }
        return new Section(key.substring(0, star), (int) index, extended, value);
    }

    private static void merge(List<Section> sections, List<Param> result) {
        sections.sort(Comparator.comparing(Section::key).thenComparingInt(Section::index));
        int i = 0;
        while (i < sections.size()) {
            boolean ok = true;
            boolean haveExtended = false;
            int nextIndex = 0;
            int j = i;
            for (; j < sections.size(); j++) {
                if (!sections.get(i).key().equalsIgnoreCase(sections.get(j).key())) {
                    break;
                }
                if (sections.get(j).index() != nextIndex) {
                    ok = false;
                }
                haveExtended |= sections.get(j).extended();
                nextIndex++;
            }
            if (!ok) {
                for (int k = i; k < j; k++) {
                    Section s = sections.get(k);
                    result.add(new Param(s.key() + "*" + s.index() + (s.extended() ? "*" : ""), s.value()));
                }
            } else {
                StringBuilder value = new StringBuilder();
                if (!sections.get(i).extended() && haveExtended) {
                    value.append("''");
                }
                for (int k = i; k < j; k++) {
                    Section s = sections.get(k);
                    value.append(!s.extended() && haveExtended ? s.value().replace("%", "%25") : s.value());
                }
                result.add(new Param(sections.get(i).key() + (haveExtended ? "*" : ""), value.toString()));
            }
            i = j;
        }
    }
}
