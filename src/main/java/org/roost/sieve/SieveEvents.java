package org.roost.sieve;

/** What Sieve at delivery reports to the meters; labels come from small fixed sets. */
public interface SieveEvents {
    SieveEvents NONE = new SieveEvents() { };

    /** One recipient's scripts ran: {@code result} is {@code ok} or {@code failed} (kept in INBOX instead). */
    default void run(String result) { }

    /** An action carried out: {@code keep}, {@code fileinto}, {@code redirect}, {@code reject}, {@code discard}. */
    default void action(String kind) { }

    /** A vacation reply sent. */
    default void vacationSent() { }

    /** A failure by kind: {@code compile}, {@code runtime}, {@code relay}. */
    default void failure(String kind) { }
}
