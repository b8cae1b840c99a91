package org.roost.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed-login penalties, protocol-neutral: every failure raises a level for the remote address and for the
 * user name tried; the next attempt from that address or for that user waits {@code initialDelay * 2^(level-1)}
 * (at most {@code maxDelay}), before the password is checked, so giving up early tells an attacker nothing.
 * One level is forgotten per {@code decay} without failures. Unknown users are counted exactly like known
 * ones. A success clears the user's level only: the address keeps its level, so an attacker who owns one
 * account cannot wipe the penalty earned by guessing others' passwords.
 *
 * <p>IPv6 addresses are grouped by their {@code ipv6Prefix} (a /64 is usually one customer), IPv4-mapped
 * IPv6 addresses count as the IPv4 address. Memory is bounded: the least recently failed keys are dropped.
 */
public final class LoginGuard {
    private static final int MAX_USER_KEY = 256;

    /** The tunables; {@code maxTracked} bounds each of the two tables (addresses, users). */
    public record Policy(Duration initialDelay, Duration maxDelay, Duration decay, int ipv6Prefix, int maxTracked) {

        public static Policy defaults() {
            return new Policy(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(1), 64, 100_000);
        }

        /** No delay ever (tests, tools). */
        public static Policy none() {
            return new Policy(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1), 64, 1);
        }

        /** The level at which the delay reaches its maximum; more failures only make the penalty last longer. */
        int levelAtMax() {
            if (initialDelay.isZero() || maxDelay.isZero()) {
                return 1;
            }
            int level = 1;
            while (level < 40 && delay(level).compareTo(maxDelay) < 0) {
                level++;
            }
            return level;
        }

        Duration delay(int level) {
            if (level <= 0) {
                return Duration.ZERO;
            }
            if (level > 40) {
                return maxDelay;
            }
            var d = initialDelay.multipliedBy(1L << (level - 1));
            return d.compareTo(maxDelay) > 0 ? maxDelay : d;
        }
    }

    private final Policy policy;
    private final InstantSource clock;
    private final int maxLevel;
    private final Tally addresses;
    private final Tally users;

    public LoginGuard(Policy policy, InstantSource clock) {
        this.policy = policy;
        this.clock = clock;
        this.maxLevel = 2 * policy.levelAtMax();
        this.addresses = new Tally(policy.maxTracked());
        this.users = new Tally(policy.maxTracked());
    }

    /** How long to wait before checking this attempt; the larger of the address's and the user's penalty. */
    public Duration delayBefore(InetAddress ip, String user) {
        var now = clock.instant();
        int level = Math.max(addresses.level(addressKey(ip), now), users.level(userKey(user), now));
        return policy.delay(level);
    }

    public void failed(InetAddress ip, String user) {
        var now = clock.instant();
        if (ip != null) {
            addresses.raise(addressKey(ip), now);
        }
        if (user != null) {
            users.raise(userKey(user), now);
        }
    }

    public void succeeded(InetAddress ip, String user) {
        if (user != null) {
            users.clear(userKey(user));
        }
    }

    /** The key an address is counted under: the IPv4 address, or the IPv6 network of {@code ipv6Prefix} bits. */
    String addressKey(InetAddress ip) {
        if (ip == null) {
            return "";
        }
        var bytes = ip.getAddress();
        if (ip instanceof Inet6Address && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        if (bytes.length == 4) {
            return toText(bytes);
        }
        int prefix = policy.ipv6Prefix();
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - bits));
        }
        return toText(bytes) + "/" + prefix;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static String toText(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String userKey(String user) {
        return user == null ? "" : user.length() > MAX_USER_KEY ? user.substring(0, MAX_USER_KEY) : user;
    }

    /** Level per key, decaying with time; a bounded table that drops the keys that failed least recently. */
    private final class Tally {
        private record Level(int level, Instant lastFailure) {}

        private final LinkedHashMap<String, Level> entries;

        Tally(int capacity) {
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Level> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized int level(String key, Instant now) {
            var entry = entries.get(key);
            return entry == null ? 0 : decayed(entry, now);
        }

        synchronized void raise(String key, Instant now) {
            var entry = entries.get(key);
            int level = entry == null ? 0 : decayed(entry, now);
            entries.put(key, new Level(Math.min(maxLevel, level + 1), now));
        }

        synchronized void clear(String key) {
            entries.remove(key);
        }

        private int decayed(Level entry, Instant now) {
            var quiet = Duration.between(entry.lastFailure(), now);
            long forgotten = quiet.isNegative() ? 0 : quiet.dividedBy(policy.decay());
            return (int) Math.max(0, entry.level() - forgotten);
        }
    }
}
