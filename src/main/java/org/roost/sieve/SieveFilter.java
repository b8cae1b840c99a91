package org.roost.sieve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.roost.config.RoostConfig;

/**
 * Sieve at delivery, for LMTP and {@code roost deliver}: runs a recipient's scripts (the global {@code sieve.before}
 * ones, the user's active one, the global {@code sieve.after} ones) and carries out what leaves the server
 * (redirects, vacation replies) through the relay. A script that fails to compile or run, or a limit passed, keeps
 * the message in INBOX and is logged once per version of the script; a redirect that cannot be sent keeps the
 * message too: no script can lose mail. Redirects and replies are remembered ({@link ResponseLog}), so a delivery
 * the MTA retries does not send them twice.
 */
public final class SieveFilter {
    private static final System.Logger LOG = System.getLogger(SieveFilter.class.getName());
    /** Pigeonhole's {@code sieve_redirect_duplicate_period}. */
    private static final Duration REDIRECT_MEMORY = Duration.ofHours(12);
    static final String REDIRECTED_FROM = "X-Sieve-Redirected-From";

    /** One recipient's delivery: {@code sender} "" for the null sender, {@code recipient} as the envelope has it. */
    public record Delivery(String user, String sender, String recipient, MessageSource message, long size) {}

    /** Whether {@code user} has {@code mailbox}. */
    @FunctionalInterface
    public interface Mailboxes {
        boolean exists(String user, String mailbox);
    }

    /**
     * What the scripts decided: the stores to make (never none unless the message was discarded, rejected or
     * redirected), redirects and a vacation reply to send after the stores, a rejection ({@code reject},
     * {@code ereject}) instead of all that.
     */
    public record Verdict(List<Action.Store> stores, List<Action.Redirect> redirects, Optional<String> rejection,
            Optional<Action.Vacation> vacation) {
        static final Verdict INBOX = new Verdict(List.of(new Action.Store("INBOX", Set.of(), false)),
                List.of(), Optional.empty(), Optional.empty());
    }

    private final RoostConfig.Sieve config;
    private final String recipientDelimiter;
    private final String hostname;
    private final ScriptStores stores;
    private final ScriptCache cache;
    private final Optional<Relay> relay;
    private final SieveEvents events;
    private final boolean fsync;
    private final Clock clock;

    public SieveFilter(RoostConfig.Sieve config, RoostConfig.Delivery delivery, boolean fsync, ScriptStores stores,
            SieveEvents events, Clock clock) {
        this.config = config;
        this.recipientDelimiter = delivery.recipientDelimiter();
        this.hostname = delivery.hostname();
        this.stores = stores;
        this.cache = new ScriptCache(SieveCompiler.of(config), config.maxScriptSize(), config.cacheSize());
        this.relay = config.relay().isEmpty() ? Optional.empty()
                : Optional.of(new Relay(config.relay(), config.relayTimeout(), delivery.hostname()));
        this.events = events;
        this.fsync = fsync;
        this.clock = clock;
    }

    /** Runs the recipient's scripts; a plain INBOX delivery when there are none or they fail. */
    public Verdict decide(Delivery delivery, Mailboxes mailboxes) {
        if (!config.enabled()) {
            return Verdict.INBOX;
        }
        var scripts = new ArrayList<Path>(config.before());
        try {
            stores.of(delivery.user()).activeScript().ifPresent(scripts::add);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "sieve: the scripts of {0} cannot be found: {1}", delivery.user(), e.getMessage());
            events.failure("runtime");
            return Verdict.INBOX;
        }
        scripts.addAll(config.after());
        if (scripts.isEmpty()) {
            return Verdict.INBOX;
        }
        try {
            var verdict = run(delivery, mailboxes, scripts);
            events.run("ok");
            return verdict;
        } catch (ScriptFailure failure) {
            events.run("failed");
            events.failure(failure.kind);
            if (failure.file == null || cache.firstReport(failure.file)) {
                LOG.log(Level.WARNING, "sieve: {0}: {1} {2}; the message is kept in INBOX", delivery.user(),
                        failure.file == null ? "" : failure.file, failure.getMessage());
            }
            return Verdict.INBOX;
        }
    }

    private Verdict run(Delivery delivery, Mailboxes mailboxes, List<Path> scripts) throws ScriptFailure {
        SieveMessage message;
        ScriptStore store;
        try {
            message = SieveMessage.read(delivery.message(), delivery.size(), config.maxBodyText());
            store = stores.of(delivery.user());
        } catch (IOException e) {
            throw new ScriptFailure("runtime", null, "the message could not be read: " + e.getMessage());
        }
        var envelope = new Run.Envelope(delivery.sender(), delivery.recipient(), delivery.user(), recipientDelimiter);
        var run = new Run(message, envelope, config, (global, name) -> include(store, global, name),
                mailbox -> mailboxes.exists(delivery.user(), mailbox), ZonedDateTime.now(clock));
        for (var file : scripts) {
            var script = load(file);
            try {
                // as in Pigeonhole, stop ends its own script; the next runs while the message is still kept
                new Interpreter(run, script).execute();
                if (!run.keeps()) {
                    break;
                }
            } catch (SieveRuntimeException e) {
                throw new ScriptFailure("runtime", file, e.getMessage());
            }
        }
        return verdict(run.result());
    }

    private CompiledScript load(Path file) throws ScriptFailure {
        try {
            return switch (cache.get(file)) {
                case Compilation.Compiled compiled -> compiled.script();
                case Compilation.Invalid invalid -> throw new ScriptFailure("compile", file, invalid.text());
            };
        } catch (IOException e) {
            throw new ScriptFailure("runtime", file, "cannot be read: " + e.getMessage());
        }
    }

    private Optional<CompiledScript> include(ScriptStore store, boolean global, String name)
            throws SieveRuntimeException {
        var problem = ScriptName.problem(name);
        if (problem != null) {
            throw new SieveRuntimeException("include: " + problem);
        }
        Optional<Path> file = global
                ? Optional.ofNullable(config.global()).map(dir -> dir.resolve(name + ScriptStore.SUFFIX))
                        .filter(Files::isRegularFile)
                : store.script(new ScriptName(name));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return switch (cache.get(file.get())) {
                case Compilation.Compiled compiled -> Optional.of(compiled.script());
                case Compilation.Invalid invalid -> throw new SieveRuntimeException(
                        "included script " + name + ": " + invalid.text());
            };
        } catch (IOException e) {
            throw new SieveRuntimeException("included script " + name + " cannot be read: " + e.getMessage());
        }
    }

    private Verdict verdict(List<Action> actions) {
        var storesToMake = new ArrayList<Action.Store>();
        var redirects = new ArrayList<Action.Redirect>();
        Optional<String> rejection = Optional.empty();
        Optional<Action.Vacation> vacation = Optional.empty();
        for (var action : actions) {
            switch (action) {
                case Action.Store s -> storesToMake.add(s);
                case Action.Redirect r -> redirects.add(r);
                case Action.Reject r -> rejection = Optional.of(r.reason());
                case Action.Vacation v -> vacation = Optional.of(v);
            }
        }
        if (rejection.isPresent()) {
            return new Verdict(List.of(), List.of(), rejection, Optional.empty());
        }
        return new Verdict(List.copyOf(storesToMake), List.copyOf(redirects), rejection, vacation);
    }

    /**
     * Sends the verdict's redirects, before anything is stored; returns the stores to make, with INBOX added when a
     * redirect could not be sent and nothing else would keep the message. A redirect of this message to an address
     * already made (a retried delivery) or back to where it was redirected from (a loop) is not sent again.
     */
    public List<Action.Store> redirect(Verdict verdict, Delivery delivery) {
        var storesToMake = new ArrayList<>(verdict.stores());
        boolean failed = false;
        for (var redirect : verdict.redirects()) {
            failed |= !redirectOne(redirect.address(), delivery);
        }
        if (failed && storesToMake.stream().noneMatch(s -> s.mailbox().equalsIgnoreCase("INBOX"))) {
            storesToMake.add(new Action.Store("INBOX", Set.of(), false));
        }
        storesToMake.forEach(s -> events.action(s.mailbox().equalsIgnoreCase("INBOX") ? "keep" : "fileinto"));
        if (storesToMake.isEmpty() && verdict.redirects().isEmpty()) {
            events.action("discard");
        }
        return storesToMake;
    }

    /** Whether the message went (or had gone) to {@code address}. */
    private boolean redirectOne(String address, Delivery delivery) {
        try {
            var message = SieveMessage.read(delivery.message(), delivery.size(), config.maxBodyText());
            if (message.header(REDIRECTED_FROM).stream().anyMatch(v -> v.equalsIgnoreCase(delivery.recipient()))) {
                LOG.log(Level.WARNING, "sieve: {0}: a redirect to {1} would loop; the message is kept",
                        delivery.user(), address);
                return false;
            }
            if (relay.isEmpty()) {
                LOG.log(Level.WARNING, "sieve: {0}: redirect to {1} needs sieve.relay; the message is kept",
                        delivery.user(), address);
                return false;
            }
            var log = new ResponseLog(stores.of(delivery.user()).home(), fsync);
            var messageId = message.raw("message-id").stream().findFirst().map(String::strip);
            var key = messageId.map(id -> Vacations.digest("redirect\0" + id + "\0" + address.toLowerCase(Locale.ROOT)));
            var now = clock.instant();
            if (key.isPresent() && log.contains(key.get(), now)) {
                LOG.log(Level.INFO, "sieve: {0}: {1} was already redirected to {2}", delivery.user(),
                        messageId.get(), address);
                return true;
            }
            var trace = (REDIRECTED_FROM + ": " + delivery.recipient() + "\r\n").getBytes(StandardCharsets.UTF_8);
            relay.get().send(delivery.sender(), address,
                    new SequenceInputStream(new ByteArrayInputStream(trace), delivery.message().open()));
            if (key.isPresent()) {
                log.record(key.get(), now.plus(REDIRECT_MEMORY), now);
            }
            events.action("redirect");
            return true;
        } catch (IOException e) {
            events.failure("relay");
            LOG.log(Level.WARNING, "sieve: {0}: redirect to {1} failed, the message is kept: {2}", delivery.user(),
                    address, e.getMessage());
            return false;
        }
    }

    /**
     * The journal of the stores {@code delivery} makes, for a delivery that stores its message more than once;
     * {@code sent}: the message as the MTA sent it, without delivery's trace fields. Empty when the user's home
     * cannot be found or the message read: the stores are then made without one (at worst twice after a crash).
     */
    public Optional<StoreJournal> journal(Delivery delivery, MessageSource sent) {
        try {
            var key = StoreJournal.key(delivery.user(), delivery.sender(), delivery.recipient(), sent);
            return Optional.of(new StoreJournal(stores.of(delivery.user()).home(), key, fsync, config.journalWindow(),
                    config.journalMaxEntries(), clock));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "sieve: {0}: no delivery journal, so a retried delivery may store twice: {1}",
                    delivery.user(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Sends the vacation reply, after the stores: once per sender and handle per :days (RFC 5230 §4.2). */
    public void respond(Verdict verdict, Delivery delivery) {
        if (verdict.vacation().isEmpty() || relay.isEmpty()) {
            return;
        }
        var vacation = verdict.vacation().get();
        try {
            var log = new ResponseLog(stores.of(delivery.user()).home(), fsync);
            var key = Vacations.digest("vacation\0" + vacation.to().toLowerCase(Locale.ROOT) + "\0"
                    + vacation.handle());
            var now = clock.instant();
            if (log.contains(key, now)) {
                return;
            }
            relay.get().send("", vacation.to(),
                    new ByteArrayInputStream(Replies.vacation(vacation, hostname, ZonedDateTime.now(clock))));
            log.record(key, now.plusSeconds(vacation.seconds()), now);
            events.vacationSent();
        } catch (IOException e) {
            events.failure("relay");
            LOG.log(Level.WARNING, "sieve: {0}: the vacation reply to {1} failed: {2}", delivery.user(),
                    vacation.to(), e.getMessage());
        }
    }

    /** A script that could not be compiled or run; {@code file} null when no one script is to blame. */
    private static final class ScriptFailure extends Exception {
        final String kind;
        final Path file;

        ScriptFailure(String kind, Path file, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.file = file;
        }
    }
}
