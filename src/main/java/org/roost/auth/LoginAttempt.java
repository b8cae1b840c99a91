package org.roost.auth;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.roost.auth.sasl.SaslExchange;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.auth.sasl.SaslMechanisms;
import org.roost.auth.sasl.SaslStep;

/**
 * One authentication attempt from one client, by any protocol: a plaintext check (IMAP LOGIN, POP3 USER/PASS)
 * or one SASL exchange (IMAP AUTHENTICATE, POP3 AUTH). When the attempt first looks a user up it waits out the
 * {@link LoginGuard} penalty for the client's address and that user, then takes a {@link VerificationGate}
 * turn, held until the current step (lookup plus verification) is done and never across a network round trip.
 * Users refused by {@code nologin}/{@code allow_nets} are treated as unknown, so they cost and answer the same.
 * Used from one thread.
 */
public final class LoginAttempt {
    private static final System.Logger LOG = System.getLogger(LoginAttempt.class.getName());

    /** What a plaintext check ends with. */
    public enum Result { ACCEPTED, REJECTED, UNAVAILABLE }

    private final Authenticator authenticator;
    private final String protocol;
    private final InetAddress remote;
    private String user;
    private FailureReason refusal;
    private VerificationGate.Permit permit;
    private boolean reported;

    LoginAttempt(Authenticator authenticator, String protocol, InetAddress remote) {
        this.authenticator = authenticator;
        this.protocol = protocol;
        this.remote = remote;
    }

    /** Checks a plaintext password and records the outcome (penalty, metrics, log). */
    public Result checkPassword(String name, byte[] password) {
        try {
            boolean ok = SaslMechanisms.checkPassword(this::lookup, name, password);
            finished(ok ? new SaslStep.Success(name) : new SaslStep.Failure(SaslStep.Reason.CREDENTIALS, ""));
            return ok ? Result.ACCEPTED : Result.REJECTED;
        } catch (RuntimeException lookupFailed) {
            LOG.log(Level.WARNING, "password lookup failed: {0}", lookupFailed.toString());
            finished(new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, ""));
            return Result.UNAVAILABLE;
        } finally {
            leaveGate();
        }
    }

    /**
     * Checks a credential the protocol verifies itself against the stored password (POP3 APOP), with the same
     * penalty, gate, {@code allow_nets} and reporting as {@link #checkPassword}. {@code matches} receives the
     * stored {@code {SCHEME}value}, or empty for an unknown or refused user, and must then do the same work.
     */
    public Result checkStored(String name, Predicate<Optional<String>> matches) {
        try {
            boolean ok = matches.test(lookup(name));
            finished(ok ? new SaslStep.Success(name) : new SaslStep.Failure(SaslStep.Reason.CREDENTIALS, ""));
            return ok ? Result.ACCEPTED : Result.REJECTED;
        } catch (RuntimeException lookupFailed) {
            LOG.log(Level.WARNING, "password lookup failed: {0}", lookupFailed.toString());
            finished(new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, ""));
            return Result.UNAVAILABLE;
        } finally {
            leaveGate();
        }
    }

    /** Starts a SASL exchange whose lookups go through this attempt; report its last step to {@link #finished}. */
    public SaslExchange start(SaslMechanism mechanism, String serverName) {
        var inner = mechanism.start(this::lookup, serverName);
        return new SaslExchange() {
            @Override
            public SaslStep begin(Optional<byte[]> initialResponse) {
                try {
                    return inner.begin(initialResponse);
                } finally {
                    leaveGate();
                }
            }

            @Override
            public SaslStep step(byte[] response) {
                try {
                    return inner.step(response);
                } finally {
                    leaveGate();
                }
            }
        };
    }

    /**
     * Records how the attempt ended: a success clears the user's penalty; a failure that tested a password
     * raises the address's and the user's. Challenges are ignored; only the first final step counts.
     */
    /** Reports how a protocol's SASL dialog ended; a cancelled or malformed exchange reports nothing. */
    public void finished(SaslOutcome outcome) {
        switch (outcome) {
            case SaslOutcome.Failed f -> finished(f.failure());
            case SaslOutcome.Succeeded s -> finished(new SaslStep.Success(s.user()));
            case SaslOutcome.Cancelled c -> { }
            case SaslOutcome.Malformed m -> { }
        }
    }

    public void finished(SaslStep last) {
        if (reported || last instanceof SaslStep.Challenge) {
            return;
        }
        reported = true;
        switch (last) {
            case SaslStep.Success s -> authenticator.guard().succeeded(remote, s.user());
            case SaslStep.Failure f -> failed(reasonOf(f.reason()));
            case SaslStep.Challenge c -> { }
        }
    }

    private FailureReason reasonOf(SaslStep.Reason reason) {
        return switch (reason) {
            case CREDENTIALS -> refusal != null ? refusal : FailureReason.PASSWORD;
            case AUTHORIZATION -> FailureReason.AUTHORIZATION;
            case MALFORMED -> FailureReason.MALFORMED;
            case UNAVAILABLE -> FailureReason.UNAVAILABLE;
        };
    }

    private void failed(FailureReason reason) {
        boolean testedPassword = reason != FailureReason.MALFORMED && reason != FailureReason.UNAVAILABLE;
        if (testedPassword) {
            authenticator.guard().failed(remote, user);
        }
        report(() -> authenticator.events().failure(protocol, reason));
        LOG.log(Level.INFO, "{0} login failed: user={1} from {2}: {3}", protocol,
                user == null ? "-" : LogText.printable(user), LogText.address(remote), reason.label());
    }

    /** The user name this attempt looked up, once it has. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    private Optional<String> lookup(String name) {
        if (user == null || !user.equals(name)) {
            user = name;
            awaitPenalty(name);
        }
        if (permit == null) {
            try {
                permit = authenticator.gate().enter();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to verify a password", e);
            }
        }
        var found = authenticator.database().lookup(name);
        if (found.isEmpty()) {
            refusal = FailureReason.UNKNOWN_USER;
            return Optional.empty();
        }
        var denial = found.get().deniedFrom(remote);
        if (denial.isPresent()) {
            refusal = denial.get() == UserRecord.Denial.NOLOGIN ? FailureReason.NOLOGIN : FailureReason.NETWORK;
            return Optional.empty();
        }
        refusal = null;
        return Optional.of(found.get().password());
    }

    private void awaitPenalty(String name) {
        Duration delay = authenticator.guard().delayBefore(remote, name);
        report(() -> authenticator.events().penalty(protocol, delay));
        if (delay.isZero()) {
            return;
        }
        try {
            authenticator.pause().sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a login penalty", e);
        }
    }

    /** Metrics must never decide a login: a failing meter is logged and ignored. */
    private static void report(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "login metrics failed: {0}", e.toString());
        }
    }

    private void leaveGate() {
        if (permit != null) {
            permit.close();
            permit = null;
        }
    }
}
