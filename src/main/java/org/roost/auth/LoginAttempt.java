package org.roost.auth;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.roost.auth.sasl.Credential;
import org.roost.auth.sasl.CredentialLookup;
import org.roost.auth.sasl.SaslExchange;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.auth.sasl.SaslMechanisms;
import org.roost.auth.sasl.SaslStep;
import org.roost.auth.sasl.TokenCheck;

/**
 * One authentication attempt from one client, by any protocol: a plaintext check (IMAP LOGIN, POP3 USER/PASS)
 * or one SASL exchange (IMAP AUTHENTICATE, POP3 AUTH). When the attempt first looks a user up it waits out the
 * penalty its address owes ({@link AddressPenalties}), then takes a turn among that user's checks
 * ({@link UserTurns}), or is refused at once when the user's line is full; once the user is found with a password
 * Roost verifies itself it also takes a turn at the {@link VerificationGate}, which caps the CPU spent on hashes and
 * so is never held while a remote database is asked. The turns are held until the current step (lookup plus
 * verification) is done and never across a network round trip; a later step of the same exchange (SCRAM's proof)
 * takes them again. An OAuth 2.0 token is judged after the address's penalty, then its user is looked up in the
 * user's turn like a password's. Every wait runs through the session's
 * {@link LoginWaits}; an interrupted wait (kick, shutdown) ends the attempt unchecked, which consumes the interrupt.
 * Users refused by {@code nologin}/{@code allow_nets} are treated as unknown, so they cost and answer the same;
 * a {@code nologin} user with a login referral ({@link Referral}) is checked like any other, and the right
 * credentials end as {@link Result#REFERRED} or {@link SaslOutcome.Referred}, so only they learn where the user
 * belongs. Used from one thread.
 */
public final class LoginAttempt {
    private static final System.Logger LOG = System.getLogger(LoginAttempt.class.getName());

    /** What a plaintext check ends with. */
    public enum Result {
        ACCEPTED, REJECTED, UNAVAILABLE,
        /** The password was right, but the user must log in at the {@link #referral()}'s server. */
        REFERRED
    }

    private final Authenticator authenticator;
    private final String protocol;
    private final InetAddress remote;
    private final LoginWaits waits;
    private String user;
    private AddressPenalties.Standing address;
    /** Why the database refused the user, when it did. */
    private FailureReason refusal;
    /** The login referral of the user looked up, when the database gave one. */
    private Referral referral;
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
        return check(name, () -> SaslMechanisms.checkPassword(credentials(), name, password));
    }

    /**
     * Checks a credential the protocol verifies itself against the stored password (POP3 APOP), with the same
     * penalty, turns, {@code allow_nets} and reporting as {@link #checkPassword}. {@code matches} receives the
     * stored {@code {SCHEME}value}, or empty for an unknown or refused user, and must then do the same work.
     */
    public Result checkStored(String name, Predicate<Optional<String>> matches) {
        return check(name, () -> matches.test(lookup(name).flatMap(LoginAttempt::storedValue)));
    }

    private Result check(String name, BooleanSupplier verification) {
        try {
            boolean ok = verification.getAsBoolean();
            if (ok && mustGoElsewhere()) {
                finished(new SaslOutcome.Referred(name, referral));
                return Result.REFERRED;
            }
            finished(ok ? new SaslStep.Success(name) : new SaslStep.Failure(SaslStep.Reason.CREDENTIALS, ""));
            return ok ? Result.ACCEPTED : Result.REJECTED;
        } catch (CredentialLookup.Declined notNow) {
            finished(new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, ""));
            return Result.UNAVAILABLE;
        } catch (RuntimeException lookupFailed) {
            if (!(lookupFailed.getCause() instanceof DatabaseUnavailable)) {
                LOG.log(Level.WARNING, "password lookup failed: {0}", lookupFailed.toString());
            }
            finished(new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, ""));
            return Result.UNAVAILABLE;
        } finally {
            endStep();
        }
    }

    /** Starts a SASL exchange whose lookups go through this attempt; report its last step to {@link #finished}. */
    public SaslExchange start(SaslMechanism mechanism, String serverName) {
        var inner = mechanism.start(credentials(), serverName);
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

    /** The database side of this attempt, as the SASL engine asks it. */
    private CredentialLookup credentials() {
        return new CredentialLookup() {
            @Override
            public Optional<Credential> credential(String name) {
                return lookup(name);
            }

            @Override
            public TokenCheck bearerToken(String token, Optional<String> claimedUser) {
                return token(token, claimedUser);
            }
        };
    }

    private static Optional<String> storedValue(Credential credential) {
        return credential instanceof Credential.Stored stored ? Optional.of(stored.value()) : Optional.empty();
    }

    /** One step of an exchange; once the user is known (SCRAM's proof) the step runs in the user's turn again. */
    private SaslStep exchangeStep(Supplier<SaslStep> step) {
        try {
            if (user != null) {
                takeTurn();
                enterGate();
            }
            return step.get();
        } catch (CredentialLookup.Declined notNow) {
            return new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, notNow.getMessage());
        } finally {
            endStep();
        }
    }

    /**
     * How a SASL dialog's {@code outcome} counts: a success for a user who must log in at another server is
     * {@link SaslOutcome.Referred}; anything else stays as it is.
     */
    public SaslOutcome judged(SaslOutcome outcome) {
        return outcome instanceof SaslOutcome.Succeeded s && mustGoElsewhere() ? new SaslOutcome.Referred(s.user(), referral)
                : outcome;
    }

    /** The login referral of the user this attempt looked up: required ones refuse, others suggest. */
    public Optional<Referral> referral() {
        return Optional.ofNullable(referral);
    }

    private boolean mustGoElsewhere() {
        return referral != null && referral.required();
    }

    /** Reports how a protocol's SASL dialog ended; a cancelled or malformed exchange reports nothing. */
    public void finished(SaslOutcome outcome) {
        switch (outcome) {
            case SaslOutcome.Failed f -> finished(f.failure());
            case SaslOutcome.Succeeded s -> finished(new SaslStep.Success(s.user()));
            case SaslOutcome.Referred r -> ended(FailureReason.REFERRED);
            case SaslOutcome.Cancelled c -> { }
            case SaslOutcome.Malformed m -> { }
        }
    }

    /**
     * Records how the attempt ended: a failure that tested credentials raises the address's penalty, a success
     * changes nothing. Challenges are ignored; only the first final step counts.
     */
    public void finished(SaslStep last) {
        switch (last) {
            case SaslStep.Challenge c -> { }
            case SaslStep.Success s -> ended(null);
            case SaslStep.Failure f -> ended(reasonOf(f.reason()));
        }
    }

    /** The first end counts: {@code failure} is recorded, a success ({@code null}) changes nothing. */
    private void ended(FailureReason failure) {
        if (reported) {
            return;
        }
        reported = true;
        if (failure != null) {
            failed(failure);
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

    private Optional<Credential> lookup(String name) {
        if (!name.equals(user)) {
            user = name;
            address = authenticator.penalties().standing(remote);
            awaitPenalty();
        }
        takeTurn();
        var found = allowed(ask(() -> authenticator.database().lookup(query(name))));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var credential = found.get().credential();
        if (credential instanceof Credential.Stored) {
            enterGate();
        }
        return Optional.of(credential);
    }

    /**
     * Judges a bearer token after the address's penalty, then looks its user up in the user's turn: a token for
     * someone other than the client claimed, or for a user a database refuses (or, with
     * {@code requireKnownUser}, does not know), is rejected. A rejection is recorded at once, not when the client
     * acknowledges the error, so cancelling instead cannot spare an address its penalty.
     */
    private TokenCheck token(String token, Optional<String> claimedUser) {
        var tokens = authenticator.tokens();
        if (tokens.isEmpty()) {
            return new TokenCheck.Rejected("no OAuth 2.0 token service is configured");
        }
        if (address == null) {
            address = authenticator.penalties().standing(remote);
            awaitPenalty();
        }
        var verdict = tokens.get().verify(token);
        if (verdict instanceof TokenCheck.Rejected rejected) {
            user = claimedUser.orElse(null);
            return rejectToken(FailureReason.TOKEN, rejected);
        }
        var name = ((TokenCheck.Valid) verdict).user();
        user = name;
        if (claimedUser.isPresent() && !claimedUser.get().equals(name)) {
            return rejectToken(FailureReason.TOKEN, tokens.get().rejection("the token is not for the user claimed"));
        }
        takeTurn();
        var known = ask(() -> authenticator.database().lookup(query(name)));
        if (known.isEmpty() && !tokens.get().requireKnownUser()) {
            return verdict;
        }
        return allowed(known).<TokenCheck>map(found -> verdict)
                .orElseGet(() -> rejectToken(refusal, tokens.get().rejection("no user database lets this user in")));
    }

    private TokenCheck rejectToken(FailureReason reason, TokenCheck.Rejected rejected) {
        refusal = reason;
        finished(new SaslStep.Failure(SaslStep.Reason.CREDENTIALS, rejected.detail()));
        return rejected;
    }

    /**
     * The user, unless unknown or refused by {@code nologin}/{@code allow_nets} (both remembered as the refusal);
     * {@code nologin} with a login referral does not refuse here: the credentials are checked first.
     */
    private Optional<UserRecord> allowed(Optional<UserRecord> found) {
        referral = null;
        if (found.isEmpty()) {
            refusal = FailureReason.UNKNOWN_USER;
            return Optional.empty();
        }
        var user = found.get();
        var referredTo = user.referral();
        var denial = referredTo.isPresent() ? user.networkDenial(remote) : user.deniedFrom(remote);
        if (denial.isPresent()) {
            refusal = denial.get() == UserRecord.Denial.NOLOGIN ? FailureReason.NOLOGIN : FailureReason.NETWORK;
            return Optional.empty();
        }
        refusal = null;
        referral = referredTo.orElse(null);
        return found;
    }

    private UserQuery query(String name) {
        return new UserQuery(name, UserQuery.service(protocol), remote);
    }

    /** A database lookup; one cut short by a kick or shutdown ends the attempt unchecked. */
    private Optional<UserRecord> ask(Supplier<Optional<UserRecord>> lookup) {
        try {
            return lookup.get();
        } catch (DatabaseUnavailable e) {
            if (Thread.interrupted()) {
                declined = FailureReason.ABORTED;
                throw new CredentialLookup.Declined("the session is ending");
            }
            throw e;
        }
    }

    private void awaitPenalty() {
        var delay = address.delay();
        report(() -> authenticator.events().penalty(protocol, delay));
        if (!delay.isZero()) {
            await(() -> authenticator.pause().sleep(delay));
        }
    }

    /** A turn among the user's checks; refused at once when the user's line is full. */
    private void takeTurn() {
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
    }

    /** A turn at the gate that caps password verifications over all users. */
    private void enterGate() {
        if (permit == null) {
            await(() -> permit = authenticator.gate().enter());
        }
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
