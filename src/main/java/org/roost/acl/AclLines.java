package org.roost.acl;

import java.util.EnumSet;
import java.util.List;

/**
 * Dovecot's ACL line, {@code <id> [<letters>] [:<named rights>]}: the identifier plain or in double quotes with
 * backslash escapes, {@code -} before it for negative rights. Read from {@code dovecot-acl} files and after the
 * pattern of a global ACL file's lines; written as Dovecot's vfile backend writes it, so either server can read
 * what the other wrote.
 */
final class AclLines {

    private AclLines() {}

    /** A line that is not one: why, for the log. */
    static final class DamagedLine extends Exception {
        DamagedLine(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a line of a file holds nothing to read (empty or a {@code #} comment). */
    static boolean blank(String line) {
        return line.isEmpty() || line.charAt(0) == '#';
    }

    /** The entry a line gives. */
    static AclEntry parse(String line, boolean global) throws DamagedLine {
        if (line.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7f || c == '\uFFFD')) {
            throw new DamagedLine("control character or invalid UTF-8");
        }
        String id;
        String rest;
        if (line.startsWith("\"")) {
            var quoted = unquote(line);
            id = quoted.text();
            rest = quoted.rest();
        } else {
            int space = line.indexOf(' ');
            id = space < 0 ? line : line.substring(0, space);
            rest = space < 0 ? "" : line.substring(space + 1);
        }
        boolean negative = id.startsWith("-");
        Identifier identifier;
        try {
            identifier = Identifier.parseFile(negative ? id.substring(1) : id);
        } catch (IllegalArgumentException e) {
            throw new DamagedLine("Unknown ID '" + id + "'");
        }
        var rights = rights(rest);
        return negative ? new AclEntry(identifier, null, rights, global) : new AclEntry(identifier, rights, null, global);
    }

    record Quoted(String text, String rest) {}

    /** A double-quoted string at the start of {@code line}, which must end there or before a space. */
    static Quoted unquote(String line) throws DamagedLine {
        var text = new StringBuilder();
        int i = 1;
        for (; i < line.length() && line.charAt(i) != '"'; i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                i++;
            }
            text.append(line.charAt(i));
        }
        if (i >= line.length() || i + 1 < line.length() && line.charAt(i + 1) != ' ') {
            throw new DamagedLine("Invalid quoted ID");
        }
        return new Quoted(text.toString(), i + 1 < line.length() ? line.substring(i + 2) : "");
    }

    /** The letters, then Dovecot's named rights after {@code ':'} (names it does not know stand for nothing here). */
    private static Rights rights(String text) throws DamagedLine {
        var rights = EnumSet.noneOf(Right.class);
        int i = skipBlanks(text, 0);
        for (; i < text.length() && " \t:".indexOf(text.charAt(i)) < 0; i++) {
            var right = Right.ofLetter(text.charAt(i));
            if (right == null) {
                throw new DamagedLine("Unknown ACL '" + text.charAt(i) + "'");
            }
            rights.add(right);
        }
        i = skipBlanks(text, i);
        if (i < text.length()) {
            if (text.charAt(i) != ':') {
                throw new DamagedLine("Missing ':' prefix in ACL extensions");
            }
            for (var name : text.substring(i + 1).split("[, \t]+")) {
                var right = Right.ofDovecotName(name);
                if (right != null) {
                    rights.add(right);
                }
            }
        }
        return new Rights(rights);
    }

    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The lines of a {@code dovecot-acl} file holding {@code entries}: rights first, then negative rights. */
    static String format(List<AclEntry> entries) {
        var lines = new StringBuilder();
        for (var entry : entries) {
            if (entry.rights() != null) {
                line(lines, entry.identifier().fileForm(), entry.rights());
            }
            if (entry.negative() != null) {
                line(lines, "-" + entry.identifier().fileForm(), entry.negative());
            }
        }
        return lines.toString();
    }

    private static void line(StringBuilder lines, String id, Rights rights) {
        lines.append(id.indexOf(' ') < 0 ? id : quote(id)).append(' ').append(rights.fileLetters()).append('\n');
    }

    static String quote(String text) {
        var quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\'') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
