package org.roost.storage;

import java.time.Duration;
import java.util.Locale;

/**
 * What a storage driver tells of each call to the services its mail lives in (a database, an object store): which,
 * what kind of call, how it ended and how long it took. The meters are made of it; the driver knows no meters.
 */
@FunctionalInterface
public interface ServiceEvents {

    /** How one call ended (a fixed label set). */
    enum Result {
        /** Answered. */
        OK,
        /** Unreachable, restarting, overloaded or too slow: the client was told {@code NO [UNAVAILABLE]}. */
        UNAVAILABLE,
        /** Answered with an error of its own (a refused request, a broken statement). */
        ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One call to {@code service} ({@code postgres}, {@code s3}) of kind {@code operation}. */
    void call(String service, String operation, Result result, Duration elapsed);

    ServiceEvents NONE = (service, operation, result, elapsed) -> { };
}
