package org.roost.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads {@link RoostConfig}: defaults, then the YAML file, then environment overrides.
 *
 * <p>Environment naming: {@code ROOST_} followed by the key path upper-cased, one {@code _}
 * between levels, e.g. {@code ROOST_LISTENERS_IMAPS_PORT=993}, {@code ROOST_AUTH_PASSWDFILE=/etc/roost/passwd}.
 * List values are comma-separated ({@code ROOST_AUTH_SECURENETWORKS=10.0.0.0/8,::1/128}).
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "ROOST_";
    private final ObjectMapper yaml;

    public ConfigLoader() {
        var module = new SimpleModule("roost-config")
                .addDeserializer(Duration.class, new DurationDeserializer())
                .addSerializer(Duration.class, ToStringSerializer.instance)
                .addDeserializer(Path.class, new PathDeserializer())
                .addSerializer(Path.class, ToStringSerializer.instance);
        yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Loads the file (or only defaults when {@code file} is null) with the given environment. */
    public RoostConfig load(Path file, Map<String, String> env) throws ConfigException {
        ObjectNode tree = yaml.valueToTree(RoostConfig.defaults());
        if (file != null) {
            merge(tree, readFile(file), "");
        }
        applyEnvironment(tree, env, "");
        var config = bind(tree);
        return ConfigValidator.validate(config);
    }

    private JsonNode readFile(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + ": not found");
        }
        try {
            var node = yaml.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("config file " + file + ": the top level must be a mapping of keys");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + ": " + e.getOriginalMessage()
                    + location(e));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": " + e.getMessage());
        }
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** Overlays {@code source} on {@code target}; keys the defaults lack are kept so binding can name them. */
    private static void merge(ObjectNode target, JsonNode source, String path) {
        source.fields().forEachRemaining(entry -> {
            var existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode child && entry.getValue().isObject()) {
                merge(child, entry.getValue(), path + entry.getKey() + ".");
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        });
    }

    private static void applyEnvironment(ObjectNode node, Map<String, String> env, String prefix) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        for (var name : names) {
            var child = node.get(name);
            var envName = ENV_PREFIX + (prefix + name).toUpperCase(Locale.ROOT);
            if (child instanceof ObjectNode object) {
                applyEnvironment(object, env, prefix + name + "_");
            } else if (env.containsKey(envName)) {
                node.set(name, envValue(child, env.get(envName)));
            }
        }
    }

    private static JsonNode envValue(JsonNode current, String value) {
        if (current instanceof ArrayNode) {
            var array = JsonNodeFactory.instance.arrayNode();
            List.of(value.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(array::add);
            return array;
        }
        return TextNode.valueOf(value);
    }

    private RoostConfig bind(ObjectNode tree) throws ConfigException {
        try {
            return yaml.treeToValue(tree, RoostConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(keyPath(e) + ": unknown key; known keys here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            throw new ConfigException(keyPath(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("config: " + e.getOriginalMessage());
        }
    }

    private static String keyPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
