package org.roost.managesieve;

import org.roost.config.RoostConfig;
import org.roost.session.SessionServices;
import org.roost.sieve.ScriptStores;
import org.roost.sieve.SieveCompiler;

/**
 * What every ManageSieve session of the server shares.
 *
 * @param services what the sessions of every protocol share
 * @param settings the {@code managesieve} config section
 * @param sieve    the {@code sieve} config section: script size and count, redirects per run
 * @param stores   each user's scripts
 * @param compiler checks scripts and names the extensions the SIEVE capability lists
 */
public record ManageSieveContext(SessionServices services, RoostConfig.ManageSieve settings, RoostConfig.Sieve sieve,
        ScriptStores stores, SieveCompiler compiler) {

    /** Redirects one run may make; none when there is no relay to send them through (RFC 5804 §1.7 MAXREDIRECTS). */
    int maxRedirects() {
        return sieve.relay().isEmpty() ? 0 : sieve.maxRedirects();
    }
}
