package org.roost.sieve;

/** One token of RFC 5228 §8.1's lexical grammar, with the line it starts on. */
record Token(Kind kind, String text, long number, int line) {
    enum Kind { IDENTIFIER, TAG, NUMBER, STRING, LEFT_BRACKET, RIGHT_BRACKET, COMMA, SEMICOLON, LEFT_BRACE, RIGHT_BRACE,
        LEFT_PAREN, RIGHT_PAREN, END }

    String describe() {
        return switch (kind) {
            case IDENTIFIER -> "identifier '" + text + "'";
            case TAG -> "tag ':" + text + "'";
            case NUMBER -> "number";
            case STRING -> "string";
            case END -> "end of script";
            default -> "'" + text + "'";
        };
    }
}
