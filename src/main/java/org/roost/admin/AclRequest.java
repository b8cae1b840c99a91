package org.roost.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/** The body of {@code PUT /admin/users/NAME/acl?mailbox=BOX}: {@code {"id": "user=bob", "rights": "lrs"}}. */
final class AclRequest {
    /** An identifier and a rights list are a few dozen bytes; a larger body is refused unread. */
    static final int MAX_BODY = 4096;
    private static final Set<String> FIELDS = Set.of("id", "rights");

    record Entry(String id, String rights) {}

    private AclRequest() {}

    /** @throws IllegalArgumentException saying what is wrong */
    static Entry parse(ObjectMapper json, byte[] body) {
        var tree = JsonBody.object(json, body, FIELDS, "a JSON object with id and rights");
        return new Entry(text(tree, "id"), text(tree, "rights"));
    }

    private static String text(JsonNode tree, String field) {
        var node = tree.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string.");
        }
        return node.asText();
    }
}
