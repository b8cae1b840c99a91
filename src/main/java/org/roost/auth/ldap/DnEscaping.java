package org.roost.auth.ldap;

/** RFC 4514 section 2.4: an attribute value made safe to stand in a DN string. */
final class DnEscaping {
    private DnEscaping() {}

    static String value(String value) {
        var out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edgeSpace = c == ' ' && (i == 0 || i == value.length() - 1);
            if (c == '\0') {
                out.append("\\00");
            } else if ("\"+,;<>\\=".indexOf(c) >= 0 || edgeSpace || c == '#' && i == 0) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
