package org.roost.sieve;

import java.util.ArrayList;
import java.util.List;
import org.roost.sieve.Token.Kind;

/**
 * RFC 5228 §8.2's grammar over the tokens: commands with arguments, tests and blocks, nested at most
 * {@link #MAX_NESTING} deep (blocks and tests together; Pigeonhole allows 32 of each), so no script can exhaust the
 * stack.
 */
final class Parser {
    static final int MAX_NESTING = 64;

    /** A command or test as written, before its arguments are checked against its signature. */
    record Raw(String name, List<Argument> arguments, List<Raw> tests, List<Raw> block, int line) {}

    private final List<Token> tokens;
    private int at;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Raw> parse(String text) throws SieveSyntaxException {
        var parser = new Parser(Lexer.tokens(text));
        var commands = parser.commands(0);
        var end = parser.peek();
        if (end.kind() != Kind.END) {
            throw new SieveSyntaxException(end.line(), "unexpected " + end.describe());
        }
        return commands;
    }

    private List<Raw> commands(int depth) throws SieveSyntaxException {
        var commands = new ArrayList<Raw>();
        while (peek().kind() == Kind.IDENTIFIER) {
            commands.add(command(depth));
        }
        return commands;
    }

    private Raw command(int depth) throws SieveSyntaxException {
        var name = take();
        var arguments = arguments();
        var tests = tests(depth);
        var next = take();
        if (next.kind() == Kind.SEMICOLON) {
            return new Raw(name.text(), arguments, tests, null, name.line());
        }
        if (next.kind() != Kind.LEFT_BRACE) {
            throw new SieveSyntaxException(next.line(),
                    "expected ';' or '{' after command '" + name.text() + "', found " + next.describe());
        }
        if (depth >= MAX_NESTING) {
            throw new SieveSyntaxException(next.line(), "blocks and tests are nested too deeply");
        }
        var block = commands(depth + 1);
        expect(Kind.RIGHT_BRACE, "'}' to close the block of '" + name.text() + "'");
        return new Raw(name.text(), arguments, tests, block, name.line());
    }

    private List<Argument> arguments() throws SieveSyntaxException {
        var arguments = new ArrayList<Argument>();
        while (true) {
            var token = peek();
            switch (token.kind()) {
                case TAG -> arguments.add(new Argument.Tag(take().text(), token.line()));
                case NUMBER -> arguments.add(new Argument.Number(take().number(), token.line()));
                case STRING -> arguments.add(new Argument.Strings(List.of(take().text()), false, token.line()));
                case LEFT_BRACKET -> arguments.add(stringList());
                default -> {
                    return arguments;
                }
            }
        }
    }

    private Argument.Strings stringList() throws SieveSyntaxException {
        int line = take().line();
        var values = new ArrayList<String>();
        do {
            var token = take();
            if (token.kind() != Kind.STRING) {
                throw new SieveSyntaxException(token.line(), "expected a string in the list, found " + token.describe());
            }
            values.add(token.text());
        } while (peek().kind() == Kind.COMMA && take() != null);
        expect(Kind.RIGHT_BRACKET, "',' or ']' in a string list");
        return new Argument.Strings(List.copyOf(values), true, line);
    }

    /** A single test or a parenthesised test list (RFC 5228 §8.2), or none. */
    private List<Raw> tests(int depth) throws SieveSyntaxException {
        var token = peek();
        if (token.kind() != Kind.IDENTIFIER && token.kind() != Kind.LEFT_PAREN) {
            return List.of();
        }
        if (depth >= MAX_NESTING) {
            throw new SieveSyntaxException(token.line(), "blocks and tests are nested too deeply");
        }
        if (token.kind() == Kind.IDENTIFIER) {
            return List.of(test(depth + 1));
        }
        take();
        var tests = new ArrayList<Raw>();
        do {
            var first = peek();
            if (first.kind() != Kind.IDENTIFIER) {
                throw new SieveSyntaxException(first.line(), "expected a test, found " + first.describe());
            }
            tests.add(test(depth + 1));
        } while (peek().kind() == Kind.COMMA && take() != null);
        expect(Kind.RIGHT_PAREN, "',' or ')' in a test list");
        return tests;
    }

    private Raw test(int depth) throws SieveSyntaxException {
        var name = take();
        var arguments = arguments();
        var tests = tests(depth);
        return new Raw(name.text(), arguments, tests, null, name.line());
    }

    private void expect(Kind kind, String what) throws SieveSyntaxException {
        var token = take();
        if (token.kind() != kind) {
            throw new SieveSyntaxException(token.line(), "expected " + what + ", found " + token.describe());
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token take() {
        var token = tokens.get(at);
        if (token.kind() != Kind.END) {
            at++;
        }
        return token;
    }
}
