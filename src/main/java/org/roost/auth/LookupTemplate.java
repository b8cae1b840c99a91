package org.roost.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A query, filter or DN with Dovecot's variables: {@code %u} (the user name), {@code %n} (its part before '@'),
 * {@code %d} (its part after '@'), {@code %s} (the service: imap, pop3), {@code %r} (the client's IP address),
 * also written {@code %{user}}, {@code %{username}}, {@code %{domain}}, {@code %{service}}, {@code %{rip}};
 * {@code %L} before one lower-cases the value ({@code %Lu}); {@code %%} is a percent sign. Any other {@code %}
 * is an error, so a typo cannot become a query that matches something else.
 */
public final class LookupTemplate {

    public enum Variable {
        USER('u', "user"), USERNAME('n', "username"), DOMAIN('d', "domain"), SERVICE('s', "service"),
        REMOTE_IP('r', "rip");

        private final char letter;
        private final String longName;

        Variable(char letter, String longName) {
            this.letter = letter;
            this.longName = longName;
        }

        /** How it is written: {@code %u}. */
        public String notation() {
            return "%" + letter;
        }

        /** The value for a lookup; an absent client address is the empty string. */
        public String of(UserQuery query) {
            var user = query.user();
            int at = user.indexOf('@');
            return switch (this) {
                case USER -> user;
                case USERNAME -> at < 0 ? user : user.substring(0, at);
                case DOMAIN -> at < 0 ? "" : user.substring(at + 1);
                case SERVICE -> query.service();
                case REMOTE_IP -> query.remote() == null ? "" : query.remote().getHostAddress();
            };
        }
    }

    /** Literal text, or a variable. */
    public sealed interface Part {
        record Text(String text) implements Part {}

        record Value(Variable variable, boolean lowerCase) implements Part {
            public String of(UserQuery query) {
                var value = variable.of(query);
                return lowerCase ? value.toLowerCase(Locale.ROOT) : value;
            }
        }
    }

    private final List<Part> parts;

    private LookupTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException naming the bad variable */
    public static LookupTemplate parse(String template) {
        var parts = new ArrayList<Part>();
        var text = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%') {
                text.append(c);
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '%') {
                text.append('%');
                i++;
                continue;
            }
            boolean lower = i + 1 < template.length() && template.charAt(i + 1) == 'L';
            int start = lower ? i + 2 : i + 1;
            int end = variableEnd(template, start);
            var variable = variable(template.substring(start, end));
            if (!text.isEmpty()) {
                parts.add(new Part.Text(text.toString()));
                text.setLength(0);
            }
            parts.add(new Part.Value(variable, lower));
            i = end - 1;
        }
        if (!text.isEmpty()) {
            parts.add(new Part.Text(text.toString()));
        }
        return new LookupTemplate(parts);
    }

    private static int variableEnd(String template, int start) {
        if (start >= template.length()) {
            throw new IllegalArgumentException("'%' at the end; write %% for a percent sign");
        }
        if (template.charAt(start) != '{') {
            return start + 1;
        }
        int close = template.indexOf('}', start);
        if (close < 0) {
            throw new IllegalArgumentException("'%{' without a closing '}'");
        }
        return close + 1;
    }

    private static Variable variable(String name) {
        for (var v : Variable.values()) {
            if (name.equals(String.valueOf(v.letter)) || name.equals("{" + v.longName + "}")) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variable %" + name
                + " (known: %u %n %d %s %r, %{user} %{username} %{domain} %{service} %{rip}, %L before one"
                + " to lower-case it; %% for a percent sign)");
    }

    public List<Part> parts() {
        return parts;
    }

    public boolean uses(Variable variable) {
        return parts.stream().anyMatch(p -> p instanceof Part.Value v && v.variable() == variable);
    }

    /** The text with every value escaped by {@code escape} (RFC 4515 for LDAP filters, RFC 4514 for DNs). */
    public String expand(UserQuery query, UnaryOperator<String> escape) {
        var out = new StringBuilder();
        for (var part : parts) {
            switch (part) {
                case Part.Text t -> out.append(t.text());
                case Part.Value v -> out.append(escape.apply(v.of(query)));
            }
        }
        return out.toString();
    }

    /** The query reduced to the variables these templates use: what a cache may key on. */
    public static UserQuery relevant(UserQuery query, List<LookupTemplate> templates) {
        boolean service = templates.stream().anyMatch(t -> t.uses(Variable.SERVICE));
        boolean remote = templates.stream().anyMatch(t -> t.uses(Variable.REMOTE_IP));
        return new UserQuery(query.user(), service ? query.service() : "", remote ? query.remote() : null);
    }
}
