package org.roost.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.roost.config.DataSize;

/** The body of {@code PUT /admin/users/NAME/quota}: {@code {"storage": bytes or "1G", "messages": count}}. */
final class QuotaRequest {
    /** A quota body is a few dozen bytes. */
    private static final int MAX_BODY = 4096;
    private static final Set<String> FIELDS = Set.of("storage", "messages");

    private QuotaRequest() {}

    /** {storage, messages}, 0 for no limit. @throws IllegalArgumentException saying what is wrong */
    static long[] parse(ObjectMapper json, byte[] body) {
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("The body is too large.");
        }
        var tree = JsonBody.object(json, body, FIELDS, "a JSON object with storage and/or messages");
        return new long[] {storage(tree.get("storage")), count(tree.get("messages"))};
    }

    private static long storage(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isTextual()) {
            try {
                return DataSize.parse(node.asText(), 1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("storage: " + e.getMessage());
            }
        }
        return nonNegative(node, "storage");
    }

    private static long count(JsonNode node) {
        return node == null || node.isNull() ? 0 : nonNegative(node, "messages");
    }

    private static long nonNegative(JsonNode node, String field) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new IllegalArgumentException(field + " must be a whole number of at least 0 (0: no limit).");
        }
        return node.asLong();
    }
}
