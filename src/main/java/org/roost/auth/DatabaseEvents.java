package org.roost.auth;

import java.time.Duration;
import java.util.Locale;

/** What the user databases report for metrics; the server wires it to its meter registry. */
public interface DatabaseEvents {

    /** How one lookup ended (a fixed label set). */
    enum Result {
        /** The database knows the user, or the token was valid. */
        FOUND,
        /** The database does not know the user. */
        NOT_FOUND,
        /** The token was expired, forged, or meant for someone else. */
        REJECTED,
        /** The database or token service was down, too slow, or answered nonsense. */
        UNAVAILABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One lookup that went to the database ({@code sql}, {@code ldap}) or token service ({@code oauth2}). */
    void lookup(String database, Result result, Duration elapsed);

    /** One lookup answered from the cache ({@code hit}) or passed on to the database. */
    void cache(String database, boolean hit);

    DatabaseEvents NONE = new DatabaseEvents() {
        @Override
        public void lookup(String database, Result result, Duration elapsed) {}

        @Override
        public void cache(String database, boolean hit) {}
    };
}
