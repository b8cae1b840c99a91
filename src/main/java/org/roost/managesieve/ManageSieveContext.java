package org.roost.managesieve;

import java.util.List;
import org.roost.config.RoostConfig;
import org.roost.session.SessionServices;

/**
 * What every ManageSieve session of the server shares.
 *
 * @param services   what the sessions of every protocol share
 * @param settings   the {@code managesieve} config section
 * @param extensions the Sieve extensions the compiler supports, as the SIEVE capability lists them
 */
public record ManageSieveContext(SessionServices services, RoostConfig.ManageSieve settings, List<String> extensions) {}
