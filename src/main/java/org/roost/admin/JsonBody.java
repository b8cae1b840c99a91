package org.roost.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/** A request body that must be one JSON object of known fields. */
final class JsonBody {
    private JsonBody() {}

    /**
     * The object, with no field but {@code fields}.
     *
     * @param shape what the body must be, for the message ("a JSON object with id and rights")
     * @throws IllegalArgumentException saying what is wrong
     */
    static JsonNode object(ObjectMapper json, byte[] body, Set<String> fields, String shape) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("The body is not JSON.");
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("The body must be " + shape + ".");
        }
        tree.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                throw new IllegalArgumentException("Unknown field; known fields: "
                        + String.join(", ", new TreeSet<>(fields)) + ".");
            }
        });
        return tree;
    }
}
