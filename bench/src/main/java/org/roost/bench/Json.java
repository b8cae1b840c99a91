package org.roost.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** A minimal JSON writer for the result files (maps, lists, numbers, strings, booleans, records as maps). */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        var sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null");
            case Float f -> write(sb, f.doubleValue(), depth);
            case Number n -> sb.append(n);
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (var e : map.entrySet()) {
                    sb.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), depth + 1);
                    first = false;
                }
                sb.append(first ? "}" : "\n" + "  ".repeat(depth) + "}");
            }
            case Collection<?> list -> {
                sb.append('[');
                boolean first = true;
                for (Object o : list) {
                    sb.append(first ? "" : ", ");
                    write(sb, o, depth + 1);
                    first = false;
                }
                sb.append(']');
            }
            case Record r -> {
                var map = new java.util.LinkedHashMap<String, Object>();
                for (var c : r.getClass().getRecordComponents()) {
                    try {
                        map.put(c.getName(), c.getAccessor().invoke(r));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
                write(sb, map, depth);
            }
            default -> string(sb, value.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
