package org.roost.mail.mime;

/** One MIME parameter as the client sees it in BODYSTRUCTURE (raw bytes, one char per byte). */
public record Param(String name, String value) {
}
