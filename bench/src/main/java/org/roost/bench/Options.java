package org.roost.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options with typed getters and defaults. */
public final class Options {
    private final Map<String, String> values = new HashMap<>();

    public Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                values.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(a.substring(2), args[++i]);
            } else {
                values.put(a.substring(2), "true");
            }
        }
    }

    public static Options of(String... args) {
        return new Options(args, 0);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    public long longValue(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    /** {@code 20s}, {@code 500ms}, {@code 2m} or plain seconds. */
    public Duration duration(String name, Duration fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    /** A comma-separated list of integers, e.g. {@code --clients 10,50,200}. */
    public List<Integer> integers(String name, String fallback) {
        var out = new ArrayList<Integer>();
        for (String part : values.getOrDefault(name, fallback).split(",")) {
            if (!part.isBlank()) {
                out.add(Integer.parseInt(part.trim()));
            }
        }
        return out;
    }

    /** The user name of client {@code index} (1-based): {@code --user bench%d} formatted, cycling over {@code --users}. */
    public String user(int index) {
        String pattern = string("user", "bench%d");
        int users = integer("users", Integer.MAX_VALUE);
        int n = (index - 1) % users + 1;
        return pattern.contains("%d") ? pattern.replace("%d", Integer.toString(n)) : pattern;
    }

    public Target target(boolean tls) {
        String host = string("host", "127.0.0.1");
        int timeout = integer("timeout-ms", 60_000);
        return tls ? new Target(host, integer("tls-port", 993), true, timeout)
                : new Target(host, integer("port", 143), false, timeout);
    }
}
