package org.roost.imap.protocol.response;

/** Checks that bytes form one well-formed parenthesized IMAP value (balanced, strings/literals valid). */
final class ImapSyntax {
    private ImapSyntax() {
    }

    /** @return null when well-formed, else a description of the first problem. */
    static String problem(byte[] b) {
        if (b.length < 2 || b[0] != '(' || b[b.length - 1] != ')') {
            return "not a parenthesized list";
        }
        int depth = 0;
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                if (--depth < 0) {
                    return "unbalanced ')' at " + i;
                }
                if (depth == 0 && i != b.length - 1) {
                    return "data after the closing ')' at " + i;
                }
                i++;
            } else if (c == '"') {
                i++;
                for (;;) {
                    if (i >= b.length) {
                        return "unterminated quoted string";
                    }
                    int q = b[i] & 0xff;
                    if (q == '\r' || q == '\n' || q == 0 || q >= 0x80) {
                        return "bad byte " + q + " in quoted string at " + i;
                    }
                    if (q == '\\') {
                        if (i + 1 >= b.length || (b[i + 1] != '"' && b[i + 1] != '\\')) {
                            return "bad escape at " + i;
                        }
                        i += 2;
                        continue;
                    }
                    i++;
                    if (q == '"') {
                        break;
                    }
                }
            } else if (c == '{') {
                int close = i + 1;
                long n = 0;
                while (close < b.length && b[close] >= '0' && b[close] <= '9') {
                    n = n * 10 + (b[close] - '0');
                    close++;
                }
                if (close == i + 1 || close + 2 >= b.length || b[close] != '}' || b[close + 1] != '\r'
                        || b[close + 2] != '\n') {
                    return "bad literal header at " + i;
                }
                long end = close + 3 + n;
                if (end > b.length) {
                    return "literal longer than the data at " + i;
                }
                i = (int) end;
            } else if (c == '\r' || c == '\n' || c >= 0x80 || c == 0) {
                return "bad byte " + c + " outside strings at " + i;
            } else {
                i++;
            }
        }
        return depth == 0 ? null : "unbalanced '('";
    }
}
