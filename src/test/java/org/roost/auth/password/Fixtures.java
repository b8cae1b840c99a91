package org.roost.auth.password;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the tab-separated fixture files under src/test/resources/auth/. */
final class Fixtures {

    record Line(String scheme, String password, String hash, String extra) {
        byte[] passwordBytes() {
            return password.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return scheme + " " + hash;
        }
    }

    private Fixtures() {
    }

    static List<Line> read(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1))
                    .map(f -> new Line(f[0], f[1], f[2], f.length > 3 ? f[3] : ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
