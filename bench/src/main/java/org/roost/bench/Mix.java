package org.roost.bench;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The weighted operation mix of the {@code mixed} scenario, modelled on a desktop/mobile mail
 * client that keeps INBOX open: mostly polling for news and reading, some flag changes, fewer
 * deliveries, moves and deletions, now and then a look at another folder or a reconnect.
 * Given on the command line as {@code fetchNew=20,noop=15,...}; unnamed operations keep their default.
 */
public final class Mix {
    public enum Op {
        FETCH_NEW(20), NOOP(12), FETCH_BODY(15), STORE(15), SEARCH(8), APPEND(7), IDLE(4),
        COPY(3), MOVE(3), EXPUNGE(5), FETCH_FLAGS(3), EXAMINE(2), RELOGIN(3);

        final int defaultWeight;

        Op(int defaultWeight) {
            this.defaultWeight = defaultWeight;
        }
    }

    private final Map<Op, Integer> weights;
    private final Op[] wheel;

    private Mix(Map<Op, Integer> weights) {
        this.weights = Map.copyOf(weights);
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("the mix needs at least one operation with a positive weight");
        }
        wheel = new Op[total];
        int i = 0;
        for (var e : new EnumMap<>(weights).entrySet()) {
            for (int k = 0; k < e.getValue(); k++) {
                wheel[i++] = e.getKey();
            }
        }
    }

    public static Mix defaults() {
        return parse("");
    }

    /** {@code name=weight,...} with names like {@code fetchNew} or {@code FETCH_NEW}. */
    public static Mix parse(String spec) {
        var weights = new EnumMap<Op, Integer>(Op.class);
        for (Op op : Op.values()) {
            weights.put(op, op.defaultWeight);
        }
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix entry '" + part + "' is not name=weight");
            }
            weights.put(op(kv[0].trim()), Integer.parseInt(kv[1].trim()));
        }
        return new Mix(weights);
    }

    private static Op op(String name) {
        String normal = name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return Op.valueOf(normal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operation '" + name + "' in the mix; known: "
                    + java.util.Arrays.toString(Op.values()), e);
        }
    }

    public Op next(RandomGenerator random) {
        return wheel[random.nextInt(wheel.length)];
    }

    public Map<Op, Integer> weights() {
        return weights;
    }
}
