package org.roost.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The memory of failed logins per remote address and the delay it earns ({@link LoginPolicy}). Only addresses
 * are remembered, never user names: a penalty an attacker could earn for someone else's name would lock that
 * user out. A success changes nothing: an attacker who owns one account must not wipe the penalty earned by
 * guessing others' passwords.
 *
 * <p>IPv6 addresses are grouped by the policy's {@code ipv6Prefix} (a /64 is usually one customer);
 * IPv4-mapped IPv6 addresses count as the IPv4 address. Memory is bounded twice: an address is forgotten once
 * all its failures have decayed, and at most {@code maxAddresses} are kept. Beyond that Caffeine drops the
 * entries it judges least useful by frequency as well as recency, so a flood of one-shot addresses cannot push a
 * persistent guesser out of memory the way it would from a least-recently-used list.
 */
public final class AddressPenalties {
    /** What is known of one address now. */
    public record Standing(String key, int level, Duration delay) {
        /** No failure from this address is remembered. */
        public boolean clean() {
            return level == 0;
        }
    }

    private record Failures(int level, Instant lastFailure) {}

    private final LoginPolicy policy;
    private final InstantSource clock;
    private final int maxLevel;
    private final Cache<String, Failures> failures;

    public AddressPenalties(LoginPolicy policy, InstantSource clock) {
        this.policy = policy;
        this.clock = clock;
        this.maxLevel = policy.maxLevel();
        this.failures = Caffeine.newBuilder()
                .maximumSize(policy.maxAddresses())
                .expireAfter(Expiry.writing((String key, Failures f) -> policy.decay().multipliedBy(f.level())))
                .ticker(() -> nanos(clock.instant()))
                .executor(Runnable::run)
                .build();
    }

    /** The address's failure level and the delay it owes before its next attempt is checked. */
    public Standing standing(InetAddress ip) {
        var key = key(ip);
        var entry = failures.getIfPresent(key);
        int level = entry == null ? 0 : decayed(entry, clock.instant());
        return new Standing(key, level, policy.delay(level));
    }

    /** One more failure from this address (a password was tested and did not match). */
    public void failed(InetAddress ip) {
        var now = clock.instant();
        failures.asMap().compute(key(ip),
                (key, old) -> new Failures(Math.min(maxLevel, (old == null ? 0 : decayed(old, now)) + 1), now));
    }

    /** How many addresses are remembered now (for a gauge). */
    public long remembered() {
        failures.cleanUp();
        return failures.estimatedSize();
    }

    /** The key an address is counted under: the IPv4 address, or the IPv6 network of {@code ipv6Prefix} bits. */
    String key(InetAddress ip) {
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

    private int decayed(Failures entry, Instant now) {
        var quiet = Duration.between(entry.lastFailure(), now);
        long forgotten = quiet.isNegative() ? 0 : quiet.dividedBy(policy.decay());
        return (int) Math.max(0, entry.level() - forgotten);
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
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
}
