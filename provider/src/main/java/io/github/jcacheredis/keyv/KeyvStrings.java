package io.github.jcacheredis.keyv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.Base64;
import java.util.Map;

/**
 * The string rules of {@code @keyv/serialize}, on a JSON tree at every depth: a string that starts
 * with {@code :} is stored with one more {@code :} in front, and a byte array (a Node.js Buffer)
 * is the string {@code ":base64:<data>"}. Property names are left as they are, as keyv does.
 */
final class KeyvStrings {

    private static final String BASE64 = ":base64:";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KeyvStrings() {
    }

    /** The tree as keyv writes it. */
    static JsonNode escape(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            return text.startsWith(":") ? NODES.textNode(':' + text) : node;
        }
        byte[] bytes = bytesOf(node);
        if (bytes != null) {
            return NODES.textNode(BASE64 + Base64.getEncoder().encodeToString(bytes));
        }
        return map(node, true);
    }

    /**
     * The tree as keyv reads it back; a Buffer becomes its base64 text, which Jackson reads into a
     * {@code byte[]}.
     */
    static JsonNode unescape(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.startsWith(BASE64)) {
                return NODES.textNode(text.substring(BASE64.length()));
            }
            return text.startsWith(":") ? NODES.textNode(text.substring(1)) : node;
        }
        return map(node, false);
    }

    private static JsonNode map(JsonNode node, boolean escaping) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            node.forEach(element -> out.add(escaping ? escape(element) : unescape(element)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                out.set(property.getKey(), escaping ? escape(property.getValue()) : unescape(property.getValue()));
            }
            return out;
        }
        return node;
    }

    /** The bytes of a {@code byte[]} in the tree, or null for any other node. */
    private static byte[] bytesOf(JsonNode node) {
        if (node instanceof BinaryNode binary) {
            return binary.binaryValue();
        }
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof byte[] bytes) {
            return bytes;
        }
        return null;
    }
}
