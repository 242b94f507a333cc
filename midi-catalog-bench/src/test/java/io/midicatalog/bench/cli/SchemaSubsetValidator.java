package io.midicatalog.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates JSON against the subset of JSON Schema that profile-report.schema.json uses: type
 * (one or a list), enum, minimum, maximum, required, properties, additionalProperties (boolean or
 * schema), items, and local $ref to #/$defs. Any other keyword is an error, so the schema cannot
 * silently rely on something this does not check. (A library validator would be a new dependency
 * for one test.)
 */
final class SchemaSubsetValidator {
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "title", "description");
    private final JsonNode root;
    private final List<String> errors = new ArrayList<>();

    private SchemaSubsetValidator(JsonNode root) {
        this.root = root;
    }

    static List<String> validate(JsonNode schema, JsonNode instance) {
        SchemaSubsetValidator v = new SchemaSubsetValidator(schema);
        v.check(schema, instance, "$");
        return v.errors;
    }

    private void check(JsonNode schema, JsonNode value, String path) {
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String keyword = field.getKey();
            JsonNode arg = field.getValue();
            switch (keyword) {
                case "$ref" -> {
                    String ref = arg.asText();
                    if (!ref.startsWith("#/$defs/")) {
                        errors.add(path + ": unsupported $ref " + ref);
                    } else {
                        JsonNode target = root.path("$defs").path(ref.substring("#/$defs/".length()));
                        if (target.isMissingNode()) {
                            errors.add(path + ": dangling $ref " + ref);
                        } else {
                            check(target, value, path);
                        }
                    }
                }
                case "type" -> {
                    boolean ok = false;
                    if (arg.isArray()) {
                        for (JsonNode t : arg) {
                            ok |= hasType(value, t.asText());
                        }
                    } else {
                        ok = hasType(value, arg.asText());
                    }
                    if (!ok) {
                        errors.add(path + ": expected type " + arg + " but was " + value.getNodeType());
                    }
                }
                case "enum" -> {
                    boolean found = false;
                    for (JsonNode allowed : arg) {
                        found |= allowed.equals(value);
                    }
                    if (!found) {
                        errors.add(path + ": " + value + " not in " + arg);
                    }
                }
                case "minimum" -> {
                    if (value.isNumber() && value.doubleValue() < arg.doubleValue()) {
                        errors.add(path + ": " + value + " < minimum " + arg);
                    }
                }
                case "maximum" -> {
                    if (value.isNumber() && value.doubleValue() > arg.doubleValue()) {
                        errors.add(path + ": " + value + " > maximum " + arg);
                    }
                }
                case "required" -> {
                    if (value.isObject()) {
                        for (JsonNode name : arg) {
                            if (!value.has(name.asText())) {
                                errors.add(path + ": missing required " + name.asText());
                            }
                        }
                    }
                }
                case "properties" -> {
                    if (value.isObject()) {
                        for (Map.Entry<String, JsonNode> p : arg.properties()) {
                            if (value.has(p.getKey())) {
                                check(p.getValue(), value.get(p.getKey()), path + "." + p.getKey());
                            }
                        }
                    }
                }
                case "additionalProperties" -> {
                    if (value.isObject()) {
                        JsonNode declared = schema.path("properties");
                        for (Map.Entry<String, JsonNode> a : value.properties()) {
                            if (declared.has(a.getKey())) {
                                continue;
                            }
                            if (arg.isBoolean() && !arg.asBoolean()) {
                                errors.add(path + ": undocumented property " + a.getKey());
                            } else if (arg.isObject()) {
                                check(arg, a.getValue(), path + "." + a.getKey());
                            }
                        }
                    }
                }
                case "items" -> {
                    if (value.isArray()) {
                        for (int i = 0; i < value.size(); i++) {
                            check(arg, value.get(i), path + "[" + i + "]");
                        }
                    }
                }
                default -> {
                    if (!ANNOTATIONS.contains(keyword)) {
                        errors.add(path + ": schema keyword not supported by this validator: " + keyword);
                    }
                }
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }
}
