package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Plain reads of a synthesized template's JSON, for what Template's matchers do not cover. */
final class Cfn {

    private static final Map<Template, Map<String, Object>> JSON = Collections.synchronizedMap(new IdentityHashMap<>());

    private Cfn() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** A value that may be one item or a list of them, as a list. */
    static List<Object> oneOrMany(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> ? list(value) : List.of(value);
    }

    /**
     * A template's JSON, read once per template: a synthesized template does not change, and each
     * {@code toJSON()} crosses to the jsii runtime and copies the whole template. Callers must not
     * modify what it returns.
     */
    static Map<String, Object> json(Template template) {
        return JSON.computeIfAbsent(template, t -> map(t.toJSON()));
    }

    static Map<String, Object> resources(Template template) {
        return map(json(template).get("Resources"));
    }

    /** The resources of {@code type}, by logical id. */
    static Map<String, Map<String, Object>> ofType(Template template, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources(template).forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, map(resource));
            }
        });
        return found;
    }

    /** The logical id of the one resource of {@code type}. */
    static String onlyId(Template template, String type) {
        Map<String, Map<String, Object>> found = ofType(template, type);
        assertEquals(1, found.size(), "resources of type " + type);
        return found.keySet().iterator().next();
    }

    /** The logical id of the one resource of {@code type} under the construct {@code prefix} (logical ids start with its path). */
    static String onlyIdUnder(Template template, String type, String prefix) {
        List<String> found = ofType(template, type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        assertEquals(1, found.size(), "resources of type " + type + " under " + prefix + ": " + found);
        return found.get(0);
    }

    /** The logical id of the messages table (the stack's other table is the key table, under Keys). */
    static String messagesTable(Template template) {
        return onlyIdUnder(template, "AWS::DynamoDB::Table", "MessagesTable");
    }

    /** The logical id of the KMS key that the alias {@code aliasName} names (the stack holds two keys). */
    static String keyWithAlias(Template template, String aliasName) {
        List<String> keys = new ArrayList<>();
        ofType(template, "AWS::KMS::Alias").values().forEach(alias -> {
            Map<String, Object> properties = map(alias.get("Properties"));
            if (aliasName.equals(properties.get("AliasName"))) {
                keys.add(referencedId(properties.get("TargetKeyId")));
            }
        });
        assertEquals(1, keys.size(), "keys with the alias " + aliasName);
        return keys.get(0);
    }

    static Map<String, Object> properties(Template template, String logicalId) {
        return map(map(resources(template).get(logicalId)).get("Properties"));
    }

    /** The properties of the one resource of {@code type}. */
    static Map<String, Object> onlyProperties(Template template, String type) {
        return properties(template, onlyId(template, type));
    }

    static String typeOf(Template template, String logicalId) {
        Object resource = resources(template).get(logicalId);
        return resource == null ? null : (String) map(resource).get("Type");
    }

    /** The logical id in {@code {"Fn::GetAtt": [id, attribute]}} or {@code {"Ref": id}}. */
    static String referencedId(Object intrinsic) {
        Map<String, Object> value = map(intrinsic);
        if (value.containsKey("Ref")) {
            return (String) value.get("Ref");
        }
        return (String) list(value.get("Fn::GetAtt")).get(0);
    }

    static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    /** The logical ids of the subnets of one kind ("public" or "private"), in zone order. */
    static List<String> subnetIds(Template template, String kind) {
        List<String> ids = new ArrayList<>();
        ofType(template, "AWS::EC2::Subnet").forEach((id, subnet) -> {
            for (Object tag : list(map(subnet.get("Properties")).get("Tags"))) {
                if ("aws-cdk:subnet-name".equals(map(tag).get("Key")) && kind.equals(map(tag).get("Value"))) {
                    ids.add(id);
                }
            }
        });
        return ids;
    }
}
