package org.roost.pop3;

/**
 * A command's status answer; {@code code} is an RFC 2449/3206 response code or null. A null
 * {@code text} means the command already wrote its whole (multi-line) response.
 */
record Pop3Reply(boolean ok, String code, String text) {

    static Pop3Reply sentOk() {
        return new Pop3Reply(true, null, null);
    }

    boolean alreadySent() {
        return text == null;
    }

    static Pop3Reply ok(String text) {
        return new Pop3Reply(true, null, text);
    }

    static Pop3Reply err(String text) {
        return new Pop3Reply(false, null, text);
    }

    static Pop3Reply err(String code, String text) {
        return new Pop3Reply(false, code, text);
    }

    /** The metrics label of the result. */
    String result() {
        return ok ? "OK" : "ERR";
    }
}
