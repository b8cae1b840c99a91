package org.roost.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Plain file-system paths (Jackson's default treats strings with a colon as URIs). */
final class PathDeserializer extends StdScalarDeserializer<Path> {
    PathDeserializer() {
        super(Path.class);
    }

    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        var text = p.getValueAsString();
        if (text == null || text.isBlank()) {
            return (Path) ctx.handleWeirdStringValue(Path.class, String.valueOf(text), "empty path");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return (Path) ctx.handleWeirdStringValue(Path.class, text, e.getReason());
        }
    }
}
