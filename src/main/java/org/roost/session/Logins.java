package org.roost.session;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.roost.auth.LoginAttempt;
import org.roost.auth.LoginWaits;
import org.roost.auth.Referral;
import org.roost.auth.SaslOutcome;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.net.ProtocolSession;
import org.roost.net.ProtocolViolation;

/**
 * One session's ways in, the same for every protocol: whether plaintext credentials may be sent,
 * password and SASL checks (with the penalties and turns of {@code auth}, whose waits the session
 * imposes), the meters of each attempt, and the failure count that ends the session after
 * {@code limits.maxFailedLogins}. The protocol words the answers.
 */
public final class Logins {
    private final SessionServices services;
    private final ProtocolSession session;
    private final SaslDialog dialog;
    private int failures;
    /** The login referral (RFC 2221) of the user the last check looked up, when the database gave one. */
    private Referral referral;

    public Logins(SessionServices services, ProtocolSession session) {
        this.services = services;
        this.session = session;
        this.dialog = new SaslDialog(services.limits().maxSaslRounds());
    }

    /** Plaintext credentials are accepted only over TLS or from {@code auth.secureNetworks} (RFC 8314 spirit). */
    public boolean plaintextAllowed() {
        return session.tls() || services.isSecureNetwork(remote());
    }

    /** The SASL mechanisms offered ({@code auth.mechanisms}). */
    public List<SaslMechanism> mechanisms() {
        return services.mechanisms();
    }

    /** Checks a user's password; {@code method} ("LOGIN", "USER") names the attempt in the meters. */
    public LoginAttempt.Result password(String method, String user, byte[] password) {
        var attempt = attempt();
        var result = attempt.checkPassword(user, password);
        referral = attempt.referral().orElse(null);
        counted(method, result == LoginAttempt.Result.ACCEPTED);
        return result;
    }

    /** Checks a credential the protocol verifies against the stored password itself (POP3 APOP). */
    public LoginAttempt.Result stored(String method, String user, Predicate<Optional<String>> matches) {
        var result = attempt().checkStored(user, matches);
        counted(method, result == LoginAttempt.Result.ACCEPTED);
        return result;
    }

    /**
     * Runs a SASL exchange with an offered mechanism over the protocol's channel; empty when
     * {@code mechanism} is not offered.
     */
    public Optional<SaslOutcome> sasl(String mechanism, Optional<byte[]> initialResponse, SaslChannel channel)
            throws IOException, ProtocolViolation {
        var offered = services.mechanism(mechanism);
        if (offered.isEmpty()) {
            return Optional.empty();
        }
        var attempt = attempt();
        var outcome = attempt.judged(dialog.run(attempt.start(offered.get(), services.serverName()), initialResponse, channel));
        attempt.finished(outcome);
        referral = attempt.referral().orElse(null);
        switch (outcome) {
            case SaslOutcome.Failed f -> counted(offered.get().name(), false);
            case SaslOutcome.Referred r -> counted(offered.get().name(), false);
            case SaslOutcome.Succeeded s -> counted(offered.get().name(), true);
            default -> { }
        }
        return Optional.of(outcome);
    }

    /**
     * The login referral (RFC 2221) of the user the last password or SASL check looked up: the server that
     * refused user is sent to ({@link LoginAttempt.Result#REFERRED}, {@link SaslOutcome.Referred}), or the one
     * a logged-in user is told of.
     */
    public Optional<Referral> referral() {
        return Optional.ofNullable(referral);
    }

    /**
     * Counts a failed login; true when it was the last one {@code limits.maxFailedLogins} allows
     * (the authenticator is told, and the protocol ends the session after its answer).
     */
    public boolean failed() {
        if (++failures < services.limits().maxFailedLogins()) {
            return false;
        }
        services.authenticator().tooManyAttempts(session.protocol());
        return true;
    }

    private LoginAttempt attempt() {
        return services.authenticator().attempt(session.protocol(), remote(), waits());
    }

    private void counted(String method, boolean accepted) {
        services.metrics().authAttempt(session.protocol(), method, accepted);
    }

    /** Login penalties and turns are waits the server imposes: not idle time, and cut short by a kick. */
    private LoginWaits waits() {
        return wait -> session.imposedWait(wait::await);
    }

    private InetAddress remote() {
        return session.remote().getAddress();
    }
}
