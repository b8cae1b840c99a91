package org.roost.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.roost.auth.sasl.Credential;
import org.roost.auth.sasl.CredentialLookup;
import org.roost.auth.sasl.SaslMechanisms;

/**
 * The password database as the protocols use it. Protocols open one {@link #attempt} per authentication
 * (it applies the {@link LoginPolicy}: address penalties and per-user turns, caps concurrent verifications and
 * honours {@code nologin}/{@code allow_nets}); the unguarded {@link #verify}/{@link #storedPassword} serve tools
 * that have no client address.
 */
public final class Authenticator implements CredentialLookup {
    private final PasswordDatabase database;
    private final Optional<TokenService> tokens;
    private final AddressPenalties penalties;
    private final UserTurns turns;
    private final VerificationGate gate;
    private final LoginEvents events;
    private final Pause pause;

    /** How a penalty is waited out; tests replace the sleep. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration delay) throws InterruptedException;

        Pause SLEEP = delay -> Thread.sleep(delay);
    }

    /** Without penalties (tools, tests); verifications are still capped. */
    public Authenticator(PasswordDatabase database) {
        this(database, LoginPolicy.noDelay(), InstantSource.system(),
                new VerificationGate(Math.max(2, Runtime.getRuntime().availableProcessors())), LoginEvents.NONE,
                Pause.SLEEP);
    }

    public Authenticator(PasswordDatabase database, LoginPolicy policy, InstantSource clock, VerificationGate gate,
            LoginEvents events, Pause pause) {
        this(database, Optional.empty(), policy, clock, gate, events, pause);
    }

    /** With {@code tokens} judging the OAuth 2.0 bearer tokens of OAUTHBEARER and XOAUTH2. */
    public Authenticator(PasswordDatabase database, Optional<TokenService> tokens, LoginPolicy policy,
            InstantSource clock, VerificationGate gate, LoginEvents events, Pause pause) {
        this.database = database;
        this.tokens = tokens;
        this.penalties = new AddressPenalties(policy, clock);
        this.turns = new UserTurns(policy);
        this.gate = gate;
        this.events = events;
        this.pause = pause;
    }

    /**
     * A new guarded authentication attempt from {@code remote} over {@code protocol} (metrics label); its waits
     * run through {@code waits}.
     */
    public LoginAttempt attempt(String protocol, InetAddress remote, LoginWaits waits) {
        return new LoginAttempt(this, protocol, remote, waits);
    }

    /** A guarded plaintext login (IMAP LOGIN, POP3 USER/PASS) in one call. */
    public LoginAttempt.Result login(String protocol, InetAddress remote, LoginWaits waits, String user,
            byte[] password) {
        return attempt(protocol, remote, waits).checkPassword(user, password);
    }
    /** Records that a connection used up its failed attempts and is being closed (metrics only). */
    public void tooManyAttempts(String protocol) {
        events.failure(protocol, FailureReason.TOO_MANY_ATTEMPTS);
    }

    /** The credential of a user who may log in from anywhere (unguarded; no client address known). */
    @Override
    public Optional<Credential> credential(String user) {
        return database.lookup(UserQuery.internal(user)).filter(u -> u.deniedFrom(null).isEmpty())
                .map(UserRecord::credential);
    }

    /**
     * Checks a plaintext password without penalties, for callers with no client address; users restricted by
     * {@code allow_nets} are refused. Unknown users cost the same time as a wrong password.
     */
    public boolean verify(String user, byte[] password) {
        return SaslMechanisms.checkPassword(this, user, password);
    }

    /** The user with every field (Dovecot's userdb lookup); {@link DatabaseUnavailable} when a database is down. */
    public Optional<UserRecord> user(String name) {
        return database.user(UserQuery.internal(name));
    }

    public PasswordDatabase database() {
        return database;
    }

    /** Addresses whose failures are remembered now (for a gauge). */
    public long penalizedAddresses() {
        return penalties.remembered();
    }

    Optional<TokenService> tokens() {
        return tokens;
    }

    AddressPenalties penalties() {
        return penalties;
    }

    UserTurns turns() {
        return turns;
    }

    VerificationGate gate() {
        return gate;
    }

    LoginEvents events() {
        return events;
    }

    Pause pause() {
        return pause;
    }
}
