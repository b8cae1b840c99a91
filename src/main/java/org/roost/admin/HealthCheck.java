package org.roost.admin;

/**
 * One named check for /health; {@code detail} says what was seen, shown only with the admin token. A check that
 * is not {@code required} is reported but does not make the answer 503: a user database that is down leaves the
 * server ready to serve the users of the others.
 */
public record HealthCheck(String name, boolean up, String detail, boolean required) {
    public HealthCheck(String name, boolean up, String detail) {
        this(name, up, detail, true);
    }
}
