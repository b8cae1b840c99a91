package org.roost.lmtp;

import java.nio.file.Path;
import org.roost.config.RoostConfig;
import org.roost.delivery.MailDelivery;
import org.roost.metrics.RoostMetrics;
import org.roost.net.SessionRuntime;
import org.roost.session.SessionServices;

/**
 * What every LMTP session of the server shares.
 *
 * @param services     what the sessions of every protocol share (line length, TLS, metrics, the registry)
 * @param settings     the {@code delivery} config section: host name, message size, recipients, the silence allowed
 * @param fullTempfail over-quota recipients get 452 4.2.2 instead of 552 5.2.2 ({@code quota.fullTempfail})
 * @param spool        where messages too large for memory wait while they are delivered
 * @param delivery     puts messages into users' mailboxes
 */
public record LmtpContext(SessionServices services, RoostConfig.Delivery settings, boolean fullTempfail, Path spool,
        MailDelivery delivery) {

    /** LMTP has no login (the MTA is trusted by where it connects from): {@code delivery.timeout} from the start. */
    SessionRuntime runtime() {
        return SessionRuntime.withoutLogin(services.sessions(), services.metrics(), settings.timeout());
    }

    String hostname() {
        return settings.hostname();
    }

    int maxLineLength() {
        return services.limits().maxLineLength();
    }

    RoostMetrics metrics() {
        return services.metrics();
    }
}
