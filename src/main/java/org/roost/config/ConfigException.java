package org.roost.config;

/** A configuration that cannot be used; the message names the key path and the reason. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
