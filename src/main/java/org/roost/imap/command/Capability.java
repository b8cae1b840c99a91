package org.roost.imap.command;

import java.util.function.Predicate;

/**
 * A capability an executor contributes to CAPABILITY (RFC 3501 §7.2.1). CAPABILITY lists, in the
 * order the executors are registered, first the capabilities of every state, then those of the
 * session's state whose condition holds.
 */
public record Capability(String name, Availability availability, Predicate<SessionFacts> condition) {

    /** In which states a capability is advertised. */
    public enum Availability { ALWAYS, BEFORE_LOGIN, AFTER_LOGIN }

    public static Capability always(String name) {
        return new Capability(name, Availability.ALWAYS, facts -> true);
    }

    public static Capability beforeLogin(String name, Predicate<SessionFacts> condition) {
        return new Capability(name, Availability.BEFORE_LOGIN, condition);
    }

    public static Capability afterLogin(String name) {
        return new Capability(name, Availability.AFTER_LOGIN, facts -> true);
    }

    /** Whether it is advertised in {@code phase} to a session with these facts. */
    public boolean advertised(Availability phase, SessionFacts facts) {
        return availability == phase && condition.test(facts);
    }
}
