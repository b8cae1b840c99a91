package org.roost.storage;

/** A service the mail lives in, as it answered just now: for readiness ({@code /health/ready}). */
public record ServiceStatus(String name, boolean up, String detail) {}
