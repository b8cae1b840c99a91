package org.roost.auth.sasl;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Enforces the call order of {@link SaslExchange} and turns any unexpected exception into a Failure,
 * so no client input can ever make an exchange throw. Subclasses implement the two hooks.
 */
abstract class GuardedExchange implements SaslExchange {

    private static final System.Logger LOG = System.getLogger(GuardedExchange.class.getName());

    private enum State { NEW, WAITING, DONE }

    private State state = State.NEW;

    @Override
    public final SaslStep begin(Optional<byte[]> initialResponse) {
        if (state != State.NEW) {
            return finish(Failures.malformed("exchange already started"));
        }
        return track(() -> onBegin(initialResponse));
    }

    @Override
    public final SaslStep step(byte[] response) {
        if (state != State.WAITING) {
            return finish(Failures.malformed("no challenge is outstanding"));
        }
        return track(() -> onResponse(response));
    }

    /** The initial response, if any. */
    abstract SaslStep onBegin(Optional<byte[]> initialResponse);

    /** A response to the challenge this exchange sent last. */
    abstract SaslStep onResponse(byte[] response);

    private SaslStep track(java.util.function.Supplier<SaslStep> action) {
        SaslStep next;
        try {
            next = action.get();
        } catch (CredentialLookup.Declined notNow) {
            next = new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, notNow.getMessage());
        } catch (Lookups.LookupFailed unavailable) {
            LOG.log(Level.WARNING, "credential lookup failed: {0}", unavailable.getCause().getMessage());
            next = new SaslStep.Failure(SaslStep.Reason.UNAVAILABLE, "password lookup failed");
        } catch (RuntimeException bug) {
            LOG.log(Level.WARNING, "SASL exchange failed unexpectedly", bug);
            next = Failures.malformed("internal error: " + bug.getClass().getSimpleName());
        }
        state = next instanceof SaslStep.Challenge ? State.WAITING : State.DONE;
        return next;
    }

    private SaslStep finish(SaslStep failure) {
        state = State.DONE;
        return failure;
    }
}
