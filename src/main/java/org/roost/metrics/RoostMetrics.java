package org.roost.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.roost.auth.CachedDatabase;
import org.roost.auth.DatabaseEvents;
import org.roost.auth.FailureReason;
import org.roost.auth.LoginEvents;
import org.roost.net.SessionMeter;
import org.roost.net.SessionRegistry;
import org.roost.net.TrafficMeter;
import org.roost.sieve.SieveEvents;
import org.roost.storage.ServiceEvents;

/**
 * Every meter Roost exports, named {@code roost_*}. Labels come only from small fixed sets
 * (protocol, command name, result, mechanism) — never a user or mailbox name.
 */
public final class RoostMetrics implements SessionMeter {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CommandKey, CommandMeters> commandMeters = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    /** Registered at start, so that a scrape shows 0 rather than nothing before the first error. */
    private final Counter storageErrors;

    public RoostMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        VirtualThreadGauges.bindTo(registry);
        storageErrors = Counter.builder("roost_storage_errors_total")
                .description("Mail store operations that failed with an I/O error").register(registry);
    }

    private record CommandKey(String protocol, String command, String result) {}

    private record CommandMeters(Counter count, Timer latency) {}

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts a new connection and returns the handle that ends it. */
    @Override
    public Runnable connectionOpened(String protocol, boolean tls) {
        Counter.builder("roost_connections_total").description("Connections accepted")
                .tag("protocol", protocol).tag("tls", Boolean.toString(tls)).register(registry).increment();
        var gauge = activeGauge(protocol);
        gauge.incrementAndGet();
        return gauge::decrementAndGet;
    }

    private AtomicInteger activeGauge(String protocol) {
        return active.computeIfAbsent(protocol, p -> {
            var value = new AtomicInteger();
            Gauge.builder("roost_connections_active", value, AtomicInteger::get)
                    .description("Connections open now").tag("protocol", p).register(registry);
            return value;
        });
    }

    public void command(String protocol, String command, String result, Duration elapsed) {
        var key = new CommandKey(protocol, command, result);
        var meters = commandMeters.get(key);
        if (meters == null) {
            meters = commandMeters.computeIfAbsent(key, this::commandMeters);
        }
        meters.count().increment();
        meters.latency().record(elapsed);
    }

    /** Found once per label set: building and registering them costs more than the command they count. */
    private CommandMeters commandMeters(CommandKey key) {
        var name = key.command().toUpperCase(Locale.ROOT);
        var count = Counter.builder("roost_commands_total").description("Commands executed")
                .tag("protocol", key.protocol()).tag("command", name).tag("result", key.result()).register(registry);
        var latency = Timer.builder("roost_command_duration_seconds").description("Command latency")
                .tag("protocol", key.protocol()).tag("command", name).tag("result", key.result())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        return new CommandMeters(count, latency);
    }

    /** A command refused for want of ACL rights (RFC 4314 §4), whatever it answered. */
    public void aclDenial(String protocol, String command) {
        Counter.builder("roost_acl_denials_total").description("Commands refused for want of ACL rights")
                .tag("protocol", protocol).tag("command", command.toUpperCase(Locale.ROOT)).register(registry)
                .increment();
    }

    public void authAttempt(String protocol, String mechanism, boolean success) {
        Counter.builder("roost_auth_attempts_total").description("Authentication attempts")
                .tag("protocol", protocol).tag("mechanism", mechanism.toUpperCase(Locale.ROOT))
                .tag("result", success ? "success" : "failure").register(registry).increment();
    }

    /**
     * Login penalties ({@code roost_login_penalty_seconds}: how long attempts waited because of earlier
     * failures from their address, zero included), failures by reason ({@code roost_auth_failures_total}) and
     * attempts refused unchecked because their user was busy ({@code roost_login_user_busy_total}, by whether
     * the address had failures: {@code address="clean"|"failed"}).
     */
    public LoginEvents loginEvents() {
        return new LoginEvents() {
            @Override
            public void penalty(String protocol, Duration delay) {
                DistributionSummary.builder("roost_login_penalty_seconds")
                        .description("Delay imposed on a login attempt because of earlier failures")
                        .baseUnit("seconds").tag("protocol", protocol)
                        .serviceLevelObjectives(0.5, 1, 2, 4, 8, 15, 30)
                        .register(registry).record(delay.toMillis() / 1000.0);
            }

            @Override
            public void failure(String protocol, FailureReason reason) {
                Counter.builder("roost_auth_failures_total").description("Failed logins by reason")
                        .tag("protocol", protocol).tag("reason", reason.label()).register(registry).increment();
            }

            @Override
            public void userBusy(String protocol, boolean cleanAddress) {
                Counter.builder("roost_login_user_busy_total")
                        .description("Login attempts refused unchecked: their user's checks were busy and enough "
                                + "other addresses waited")
                        .tag("protocol", protocol).tag("address", cleanAddress ? "clean" : "failed")
                        .register(registry).increment();
            }
        };
    }

    /**
     * User database lookups ({@code roost_auth_lookups_total} and their latency {@code roost_auth_lookup_seconds},
     * by {@code database} = sql/ldap/oauth2 and {@code result} = found/not_found/rejected/unavailable) and how the
     * lookup cache answered ({@code roost_auth_cache_requests_total}, {@code result} = hit/miss).
     */
    public DatabaseEvents databaseEvents() {
        return new DatabaseEvents() {
            @Override
            public void lookup(String database, Result result, Duration elapsed) {
                Counter.builder("roost_auth_lookups_total").description("User database and token lookups by result")
                        .tag("database", database).tag("result", result.label()).register(registry).increment();
                Timer.builder("roost_auth_lookup_seconds").description("User database and token lookup latency")
                        .tag("database", database).tag("result", result.label())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry).record(elapsed);
            }

            @Override
            public void cache(String database, boolean hit) {
                Counter.builder("roost_auth_cache_requests_total").description("User lookups asked of the cache")
                        .tag("database", database).tag("result", hit ? "hit" : "miss").register(registry).increment();
            }
        };
    }

    /** The entries of each user lookup cache, read at each scrape. */
    public void bindAuthCaches(List<CachedDatabase> caches) {
        for (var cache : caches) {
            Gauge.builder("roost_auth_cache_entries", cache, c -> c.stats().entries())
                    .description("Answers held by the user lookup cache (auth.cache.size)")
                    .tag("database", cache.name()).register(registry);
        }
    }

    /** How many client addresses the login penalties remember now, read at each scrape. */
    public void bindPenalizedAddresses(LongSupplier remembered) {
        Gauge.builder("roost_login_penalized_addresses", remembered, LongSupplier::getAsLong)
                .description("Client addresses whose recent failed logins are remembered (auth.penalty.maxAddresses)")
                .strongReference(true).register(registry);
    }

    /** Byte counters for one protocol's connections. */
    public TrafficMeter traffic(String protocol) {
        var in = Counter.builder("roost_bytes_received_total").description("Bytes read from clients")
                .tag("protocol", protocol).register(registry);
        var out = Counter.builder("roost_bytes_sent_total").description("Bytes written to clients")
                .tag("protocol", protocol).register(registry);
        return new TrafficMeter() {
            @Override
            public void tlsHandshake(String version, boolean success) {
                Counter.builder("roost_tls_handshakes_total").description("TLS handshakes by protocol version")
                        .tag("protocol", protocol).tag("version", version).tag("result", success ? "success" : "failure")
                        .register(registry).increment();
            }

            @Override
            public void received(long bytes) {
                in.increment(bytes);
            }

            @Override
            public void sent(long bytes) {
                out.increment(bytes);
            }
        };
    }

    /** Sessions by protocol and state, read from the registry at each scrape. */
    public void bindSessions(SessionRegistry sessions, List<String> protocols, List<String> states) {
        for (var protocol : protocols) {
            for (var state : states) {
                Gauge.builder("roost_sessions", sessions, r -> r.count(protocol, state))
                        .description("Sessions now, by protocol state").tag("protocol", protocol).tag("state", state)
                        .register(registry);
            }
        }
    }

    /** The shared index cache, read at each scrape. */
    public void bindIndexCache(org.roost.index.IndexCache cache) {
        io.micrometer.core.instrument.FunctionCounter.builder("roost_index_cache_hits_total", cache, c -> c.hits())
                .description("Mailbox opens answered from the shared cache").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("roost_index_cache_misses_total", cache, c -> c.misses())
                .description("Mailbox opens that read an index or the mail (mailbox opens)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("roost_index_cache_evictions_total", cache, c -> c.evictions())
                .description("Idle mailboxes dropped to stay within index.cacheBytes").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("roost_mailbox_opens_total", cache, c -> c.hits() + c.misses())
                .description("Mailboxes opened by a session (SELECT, EXAMINE, STATUS, APPEND, POP3 login)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("roost_index_rebuilds_total", cache, c -> c.rebuilds())
                .description("Index files found damaged and rebuilt from the mail").register(registry);
        Gauge.builder("roost_index_cache_bytes", cache, c -> c.bytes())
                .description("Heap bytes held by cached mailbox states").baseUnit("bytes").register(registry);
        Gauge.builder("roost_index_cache_mailboxes", cache, c -> c.openMailboxes())
                .description("Mailboxes held by the shared cache").register(registry);
        Gauge.builder("roost_index_mailboxes_holding_files", cache, c -> c.mailboxesHoldingFiles())
                .description("Open mailboxes counted against index.maxOpenFiles (up to 4 descriptors each)")
                .register(registry);
    }

    public void bindFullText(org.roost.fts.FullTextSearch fullText) {
        Gauge.builder("roost_fts_queue_depth", fullText, f -> f.queueDepth())
                .description("Mailboxes waiting for the full-text indexer").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("roost_fts_indexed_messages_total", fullText,
                f -> f.indexedMessages())
                .description("Messages added to the full-text index (its rate is the indexing rate)").register(registry);
        Gauge.builder("roost_fts_index_bytes", fullText, f -> f.openIndexBytes())
                .description("Bytes on disk of the full-text indexes open now").baseUnit("bytes").register(registry);
        Gauge.builder("roost_fts_users_at_limit", fullText, f -> f.usersAtLimit())
                .description("Users whose full-text index reached fts.maxIndexBytesPerUser").register(registry);
    }

    /** Messages appended, copied or expunged ({@code kind}: append, copy, expunge). */
    public void messages(String protocol, String kind, long count) {
        Counter.builder("roost_messages_total").description("Messages appended, copied or expunged")
                .tag("protocol", protocol).tag("kind", kind).register(registry).increment(count);
    }

    /**
     * One recipient's delivery by LMTP or {@code roost deliver}, by result: {@code delivered},
     * {@code unknown_user}, {@code over_quota}, {@code rejected} (content refused: size, NUL, bare line ends,
     * undeclared 8-bit), {@code failed} (a temporary failure of the store or the user database).
     */
    public void delivery(String protocol, String result) {
        Counter.builder("roost_deliveries_total").description("Recipients of delivered mail, by result")
                .tag("protocol", protocol).tag("result", result).register(registry).increment();
    }

    /** Sieve at delivery: runs, actions by kind, failures by kind, vacation replies sent. */
    public SieveEvents sieveEvents() {
        return new SieveEvents() {
            @Override
            public void run(String result) {
                Counter.builder("roost_sieve_runs_total").description("Recipients whose Sieve scripts ran, by result")
                        .tag("result", result).register(registry).increment();
            }

            @Override
            public void action(String kind) {
                Counter.builder("roost_sieve_actions_total").description("Sieve actions carried out, by kind")
                        .tag("action", kind).register(registry).increment();
            }

            @Override
            public void vacationSent() {
                Counter.builder("roost_sieve_vacation_responses_total").description("Vacation replies sent")
                        .register(registry).increment();
            }

            @Override
            public void failure(String kind) {
                Counter.builder("roost_sieve_failures_total")
                        .description("Sieve failures (the message was kept in INBOX), by kind")
                        .tag("kind", kind).register(registry).increment();
            }
        };
    }

    /** Additions refused for being over quota (APPEND, COPY, MOVE, LMTP, deliver), read at each scrape. */
    public void bindQuotas(org.roost.index.Quotas quotas) {
        io.micrometer.core.instrument.FunctionCounter.builder("roost_quota_refusals_total", quotas, q -> q.refusals())
                .description("Messages refused because they would take a user over quota").register(registry);
    }

    /**
     * Calls of the mail storage to the services it lives in ({@code roost_mail_service_seconds}: latency and, as
     * its count, calls; by {@code service} = postgres/s3, {@code operation}, {@code result} = ok/unavailable/error).
     */
    public ServiceEvents storageServiceEvents() {
        return (service, operation, result, elapsed) -> Timer.builder("roost_mail_service_seconds")
                .description("Mail storage calls to its database and object store, by result")
                .tag("service", service).tag("operation", operation).tag("result", result.label())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(elapsed);
    }

    public void storageError() {
        storageErrors.increment();
    }

    public String scrape(String contentType) {
        return registry.scrape(contentType);
    }
}
