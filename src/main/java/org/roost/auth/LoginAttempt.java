package org.roost.auth;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.roost.auth.sasl.CredentialLookup;
import org.roost.auth.sasl.SaslExchange;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.auth.sasl.SaslMechanisms;
import org.roost.auth.sasl.SaslStep;

/**
 * One authentication attempt from one client, by any protocol: a plaintext check (IMAP LOGIN, POP3 USER/PASS)
 * or one SASL exchange (IMAP AUTHENTICATE, POP3 AUTH). When the attempt first looks a user up it waits out the
 * penalty its address owes ({@link AddressPenalties}), then takes a turn among that user's checks
 * ({@link UserTurns}) and one at the {@link VerificationGate}, or is refused at once when the user's line is full.
 * The turns are held until the current step (lookup plus verification) is done and never across a network round
 * trip; a later step of the same exchange (SCRAM's proof) takes them again. Every wait runs through the session's
 * {@link LoginWaits}; an interrupted wait (kick, shutdown) ends the attempt unchecked, which consumes the interrupt.
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
    private final LoginWaits waits;
    private String user;
    private AddressPenalties.Standing address;
    /** Why the database refused the user, when it did. */
    private FailureReason refusal;
    /** Why the attempt was ended unchecked (user busy, session ending), when it was. */
    private FailureReason declined;
    private UserTurns.Ticket turn;
    private VerificationGate.Permit permit;
    private boolean reported;

    LoginAttempt(Authenticator authenticator, String protocol, InetAddress remote, LoginWaits waits) {
        this.authenticator = authenticator;
        this.protocol = protocol;
        this.remote = remote;
        this.waits = waits;
    }

    /** Checks a plaintext password and records the outcome (penalty, metrics, log). */
    public Result checkPassword(String name, byte[] password) {
        return check(name, () -> SaslMechanisms.checkPassword(this::lookup, name, password));
    }

    /**
     * Checks a credential the protocol verifies itself against the stored password (POP3 APOP), with the same
     * penalty, turns, {@code allow_nets} and reporting as {@link #checkPassword}. {@code matches} receives the
     * stored {@code {SCHEME}value}, or empty for an unknown or refused user, and must then do the same work.
     */
    public Result checkStored(String name, Predicate<Optional<String>> matches) {
        return check(name, () -> matches.test(lookup(name)));
    }

    private Result check(String name, BooleanSupplier verification) {
        try {
            boolean ok = verification.getAsBoolean();
            finished(ok ? new SaslStep.Success(name) : new SaslStep.Failure(SaslStep.Reason.CREDENTIALS, ""));
            return ok ? Result.ACCEPTED : Result.REJECTED;
        } catch (CredentialLookup.Declined notNow) {
            finished(new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, ""));
            return Result.UNAVAILABLE;
        } catch (RuntimeException lookupFailed) {
            LOG.log(Level.WARNING, "password lookup failed: {0}", lookupFailed.toString());
            finished(new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, ""));
            return Result.UNAVAILABLE;
        } finally {
            endStep();
        }
    }

    /** Starts a SASL exchange whose lookups go through this attempt; report its last step to {@link #finished}. */
    public SaslExchange start(SaslMechanism mechanism, String serverName) {
        var inner = mechanism.start(this::lookup, serverName);
        return new SaslExchange() {
            @Override
            public SaslStep begin(Optional<byte[]> initialResponse) {
                return exchangeStep(() -> inner.begin(initialResponse));
            }

            @Override
            public SaslStep step(byte[] response) {
                return exchangeStep(() -> inner.step(response));
            }
        };
    }

    /** One step of an exchange; once the user is known (SCRAM's proof) the step runs in the user's turn again. */
    private SaslStep exchangeStep(Supplier<SaslStep> step) {
        try {
            if (user != null) {
                takeTurns();
            }
            return step.get();
        } catch (CredentialLookup.Declined notNow) {
            return new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, notNow.getMessage());
        } finally {
            endStep();
        }
    }

    /** Reports how a protocol's SASL dialog ended; a cancelled or malformed exchange reports nothing. */
    public void finished(SaslOutcome outcome) {
        switch (outcome) {
            case SaslOutcome.Failed f -> finished(f.failure());
            case SaslOutcome.Succeeded s -> finished(new SaslStep.Success(s.user()));
            case SaslOutcome.Cancelled c -> { }
            case SaslOutcome.Malformed m -> { }
        }
    }

    /**
     * Records how the attempt ended: a failure that tested credentials raises the address's penalty, a success
     * changes nothing. Challenges are ignored; only the first final step counts.
     */
    public void finished(SaslStep last) {
        if (reported || last instanceof SaslStep.Challenge) {
            return;
        }
        reported = true;
        if (last instanceof SaslStep.Failure f) {
            failed(reasonOf(f.reason()));
        }
    }

    private FailureReason reasonOf(SaslStep.Reason reason) {
        return switch (reason) {
            case CREDENTIALS -> refusal != null ? refusal : FailureReason.PASSWORD;
            case AUTHORIZATION -> FailureReason.AUTHORIZATION;
            case MALFORMED -> FailureReason.MALFORMED;
            case UNAVAILABLE -> declined != null ? declined : FailureReason.UNAVAILABLE;
        };
    }

    private void failed(FailureReason reason) {
        if (reason.testedCredentials() && remote != null) {
            authenticator.penalties().failed(remote);
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
        if (!name.equals(user)) {
            user = name;
            address = authenticator.penalties().standing(remote);
            awaitPenalty();
        }
        takeTurns();
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

    private void awaitPenalty() {
        var delay = address.delay();
        report(() -> authenticator.events().penalty(protocol, delay));
        if (!delay.isZero()) {
            await(() -> authenticator.pause().sleep(delay));
        }
    }

    /** A turn among the user's checks, then one at the gate; refused at once when the user's line is full. */
    private void takeTurns() {
        if (turn != null) {
            return;
        }
        var ticket = authenticator.turns().take(user, address);
        if (ticket.refused()) {
            declined = FailureReason.USER_BUSY;
            report(() -> authenticator.events().userBusy(protocol, address.clean()));
            throw new CredentialLookup.Declined("too many checks for this user at once");
        }
        turn = ticket;
        await(ticket::await);
        await(() -> permit = authenticator.gate().enter());
    }

    /** Runs a wait through the session; an interrupt (kick, shutdown) ends the attempt unchecked. */
    private void await(LoginWaits.Wait wait) {
        try {
            waits.run(wait);
        } catch (InterruptedException e) {
            declined = FailureReason.ABORTED;
            throw new CredentialLookup.Declined("the session is ending");
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

    private void endStep() {
        if (permit != null) {
            permit.close();
            permit = null;
        }
        if (turn != null) {
            turn.close();
            turn = null;
        }
    }
}
