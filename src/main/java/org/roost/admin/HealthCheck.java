package org.roost.admin;

/** One named check for /health; {@code detail} says what was seen, shown only with the admin token. */
public record HealthCheck(String name, boolean up, String detail) {}
