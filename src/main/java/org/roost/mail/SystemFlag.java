package org.roost.mail;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The system flags a message store keeps (RFC 3501 §2.3.2). {@code \Recent} is not one of
 * them: it is a property of a session, not of the stored message.
 */
public enum SystemFlag {
    SEEN("\\Seen"),
    ANSWERED("\\Answered"),
    FLAGGED("\\Flagged"),
    DELETED("\\Deleted"),
    DRAFT("\\Draft");

    private final String imapName;

    SystemFlag(String imapName) {
        this.imapName = imapName;
    }

    /** The flag as written in IMAP, e.g. {@code \Seen}. */
    public String imapName() {
        return imapName;
    }

    /** Looks a flag up by its IMAP name, case-insensitively (flags are atoms, RFC 3501 §2.3.2). */
    public static Optional<SystemFlag> fromImapName(String name) {
        var lower = name.toLowerCase(Locale.ROOT);
        for (var flag : values()) {
            if (flag.imapName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }

    /** One shared set per combination of flags, by bits: a million messages need no set of their own. */
    private static final FlagSet[] SETS = new FlagSet[1 << 5];

    static {
        for (int bits = 0; bits < SETS.length; bits++) {
            var flags = EnumSet.noneOf(SystemFlag.class);
            for (var flag : values()) {
                if ((bits & bit(flag)) != 0) {
                    flags.add(flag);
                }
            }
            SETS[bits] = new FlagSet(bits, flags);
        }
    }

    private static int bit(SystemFlag flag) {
        return 1 << flag.ordinal();
    }

    /** The immutable set of the flags whose bits ({@code 1 << ordinal}) are in {@code bits}; always the same instance. */
    public static Set<SystemFlag> setOf(int bits) {
        return SETS[bits & (SETS.length - 1)];
    }

    /** The bits ({@code 1 << ordinal}) of {@code flags}; read off a set of {@link #setOf} without iterating it. */
    public static int bitsOf(Set<SystemFlag> flags) {
        if (flags instanceof FlagSet shared) {
            return shared.bits;
        }
        int bits = 0;
        for (var flag : flags) {
            bits |= bit(flag);
        }
        return bits;
    }

    /** An immutable set of flags that knows its bits. */
    private static final class FlagSet extends AbstractSet<SystemFlag> {
        private final int bits;
        private final Set<SystemFlag> flags;

        FlagSet(int bits, EnumSet<SystemFlag> flags) {
            this.bits = bits;
            this.flags = Collections.unmodifiableSet(flags);
        }

        @Override
        public Iterator<SystemFlag> iterator() {
            return flags.iterator();
        }

        @Override
        public int size() {
            return Integer.bitCount(bits);
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof SystemFlag flag && (bits & bit(flag)) != 0;
        }
    }
}
