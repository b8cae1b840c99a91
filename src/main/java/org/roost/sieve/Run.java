package org.roost.sieve;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.roost.config.RoostConfig;

/**
 * One message's pass through its scripts (global before, personal, global after): what it may look at (the message,
 * the envelope, the clock, the user's mailboxes), what it decided so far, and what it may still spend (time,
 * actions, redirects, include depth).
 */
final class Run {
    /** Scripts an {@code include} may name: the user's own, or the global ones. */
    @FunctionalInterface
    interface Includes {
        Optional<CompiledScript> load(boolean global, String name) throws SieveRuntimeException;
    }

    /** Whether the user has a mailbox ({@code mailboxexists}, RFC 5490 §3.1). */
    @FunctionalInterface
    interface MailboxCheck {
        boolean exists(String mailbox);
    }

    /** The envelope: {@code sender} is "" for the null sender; {@code recipient} as the MTA gave it. */
    record Envelope(String sender, String recipient, String user, String recipientDelimiter) {}

    /** Checks of the clock are made every this many steps: cheap, and soon enough. */
    private static final int STEPS_PER_CLOCK_CHECK = 256;

    final SieveMessage message;
    final Envelope envelope;
    final RoostConfig.Sieve limits;
    final Includes includes;
    final MailboxCheck mailboxes;
    final ZonedDateTime now;
    final Map<String, String> globals = new HashMap<>();
    final Set<String> includedOnce = new HashSet<>();
    /** RFC 5232's internal variable: the flags keep and fileinto use when they name none. */
    final Set<String> flags = new LinkedHashSet<>();
    private final List<Action> actions = new ArrayList<>();
    private final long deadline;
    private long steps;
    private int counted;
    private int redirects;
    boolean implicitKeep = true;
    int includeDepth;

    Run(SieveMessage message, Envelope envelope, RoostConfig.Sieve limits, Includes includes, MailboxCheck mailboxes,
            ZonedDateTime now) {
        this.message = message;
        this.envelope = envelope;
        this.limits = limits;
        this.includes = includes;
        this.mailboxes = mailboxes;
        this.now = now;
        this.deadline = System.nanoTime() + limits.maxCpuTime().toNanos();
    }

    /** One step of work; past {@code sieve.maxCpuTime} the run ends as a failure. */
    void step() throws SieveRuntimeException {
        if (++steps % STEPS_PER_CLOCK_CHECK == 0 && System.nanoTime() - deadline > 0) {
            throw new SieveRuntimeException("the script ran longer than sieve.maxCpuTime");
        }
    }

    void add(Action action, boolean cancelsImplicitKeep) throws SieveRuntimeException {
        if (++counted > limits.maxActions()) {
            throw new SieveRuntimeException("more than sieve.maxActions (" + limits.maxActions() + ") actions");
        }
        if (action instanceof Action.Redirect && ++redirects > limits.maxRedirects()) {
            throw new SieveRuntimeException("more than sieve.maxRedirects (" + limits.maxRedirects() + ") redirects");
        }
        boolean rejects = action instanceof Action.Reject;
        boolean conflicts = rejects ? actions.stream().anyMatch(a -> !(a instanceof Action.Reject))
                : actions.stream().anyMatch(a -> a instanceof Action.Reject);
        if (conflicts) {
            throw new SieveRuntimeException("reject cannot be combined with keep, fileinto, redirect or vacation"
                    + " (RFC 5429 §2.3)");
        }
        if (action instanceof Action.Vacation && actions.stream().anyMatch(a -> a instanceof Action.Vacation)) {
            throw new SieveRuntimeException("a second vacation action (RFC 5230 §4.7)");
        }
        actions.add(action);
        if (cancelsImplicitKeep) {
            implicitKeep = false;
        }
    }

    /**
     * The actions to carry out: stores merged by mailbox (one copy per mailbox, RFC 5228 §2.10.3, with the flags of
     * all), then the implicit keep into INBOX when nothing cancelled it.
     */
    List<Action> result() {
        var merged = new ArrayList<Action>();
        var stores = new HashMap<String, Integer>();
        var all = new ArrayList<>(actions);
        if (implicitKeep) {
            all.add(new Action.Store("INBOX", Set.copyOf(flags), false));
        }
        for (var action : all) {
            if (action instanceof Action.Store store) {
                var key = store.mailbox().equalsIgnoreCase("INBOX") ? "INBOX" : store.mailbox();
                var at = stores.get(key);
                if (at == null) {
                    stores.put(key, merged.size());
                    merged.add(store);
                } else {
                    var earlier = (Action.Store) merged.get(at);
                    var union = new LinkedHashSet<>(earlier.flags());
                    union.addAll(store.flags());
                    merged.set(at, new Action.Store(earlier.mailbox(), Set.copyOf(union),
                            earlier.create() || store.create()));
                }
            } else if (!merged.contains(action)) {
                merged.add(action);
            }
        }
        return List.copyOf(merged);
    }

    /** Whether the next script in the chain runs: only while the message is still kept (Pigeonhole's rule). */
    boolean keeps() {
        return implicitKeep || actions.stream().anyMatch(a -> a instanceof Action.Store s
                && s.mailbox().equalsIgnoreCase("INBOX"));
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
