package org.roost.mail.sort;

/**
 * The base subject of RFC 5256 §2.1, and whether extracting it removed a reply or forward marker
 * (a subj-refwd, a "(fwd)" trailer or a "[fwd: ...]" wrapper), which REFERENCES threading needs
 * (§3, step 5). {@code text} is in the i;unicode-casemap form ({@link Casemap}), so two base
 * subjects are the same exactly when their texts are equal.
 */
public record BaseSubject(String text, boolean replyOrForward) {
    public static final BaseSubject EMPTY = new BaseSubject("", false);

    /** The base subject of a decoded (RFC 2047 words already UTF-8) subject; null is the empty one. */
    public static BaseSubject of(String subject) {
        if (subject == null) {
            return EMPTY;
        }
        var extraction = new Extraction(Casemap.key(collapseWhitespace(subject)));
        return new BaseSubject(extraction.run(), extraction.replyOrForward);
    }

    /** Step (1): tabs and continuations become spaces, runs of spaces one space. */
    private static String collapseWhitespace(String subject) {
        var out = new StringBuilder(subject.length());
        boolean space = false;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            boolean white = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (!white || !space) {
                out.append(white ? ' ' : c);
            }
            space = white;
        }
        return out.toString();
    }

    /** Steps (2)-(6) over the titlecased text (so "re", "fwd" and "[fwd:" are matched in upper case). */
    private static final class Extraction {
        private String s;
        private boolean replyOrForward;

        Extraction(String s) {
            this.s = s;
        }

        String run() {
            while (true) {
                removeTrailers();
                while (removeLeader() || removeBlob()) {
                    // (5) repeat (3) and (4) until no matches remain
                }
                // (6) "[fwd:" ... "]" around the whole text: unwrap and start again at (2)
                if (s.startsWith("[FWD:") && s.endsWith("]")) {
                    s = s.substring(5, s.length() - 1);
                    replyOrForward = true;
                } else {
                    return s;
                }
            }
        }

        /** (2) subj-trailer = "(fwd)" / WSP, repeatedly. */
        private void removeTrailers() {
            while (true) {
                if (s.endsWith(" ")) {
                    s = s.substring(0, s.length() - 1);
                } else if (s.endsWith("(FWD)")) {
                    s = s.substring(0, s.length() - 5);
                    replyOrForward = true;
                } else {
                    return;
                }
            }
        }

        /** (3) subj-leader = (*subj-blob subj-refwd) / WSP. */
        private boolean removeLeader() {
            if (s.startsWith(" ")) {
                s = s.substring(1);
                return true;
            }
            int at = 0;
            for (int end = blobEnd(at); end > 0; end = blobEnd(at)) {
                at = end;
            }
            int end = refwdEnd(at);
            if (end < 0) {
                return false;
            }
            s = s.substring(end);
            replyOrForward = true;
            return true;
        }

        /** (4) a leading subj-blob, when what follows is a non-empty subj-base. */
        private boolean removeBlob() {
            int end = blobEnd(0);
            if (end < 0 || end == s.length()) {
                return false;
            }
            s = s.substring(end);
            return true;
        }

        /** subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" at {@code at}: its end, or -1. */
        private int refwdEnd(int at) {
            int i;
            if (s.startsWith("RE", at)) {
                i = at + 2;
            } else if (s.startsWith("FWD", at)) {
                i = at + 3;
            } else if (s.startsWith("FW", at)) {
                i = at + 2;
            } else {
                return -1;
            }
            i = skipSpaces(i);
            int blob = blobEnd(i);
            if (blob > 0) {
                i = blob;
            }
            return i < s.length() && s.charAt(i) == ':' ? i + 1 : -1;
        }

        /** subj-blob = "[" *BLOBCHAR "]" *WSP at {@code at}: its end, or -1. */
        private int blobEnd(int at) {
            if (at >= s.length() || s.charAt(at) != '[') {
                return -1;
            }
            for (int i = at + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ']') {
                    return skipSpaces(i + 1);
                }
                if (c == '[') {
                    return -1;
                }
            }
            return -1;
        }

        private int skipSpaces(int i) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            return i;
        }
    }
}
