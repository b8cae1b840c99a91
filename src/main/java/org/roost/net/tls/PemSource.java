package org.roost.net.tls;

import java.nio.file.Path;
import java.util.List;

/** Where one certificate comes from: its PEM files, and the SNI names that select it (empty for the default). */
public record PemSource(List<String> names, Path certificate, Path key) {
    public PemSource {
        names = List.copyOf(names);
    }

    public static PemSource fallback(Path certificate, Path key) {
        return new PemSource(List.of(), certificate, key);
    }
}
