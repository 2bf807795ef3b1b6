package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static app.cruddur.infra.Cfn.oneOrMany;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awscdk.assertions.Template;

/**
 * Every policy statement in a template: identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy,
 * the inline policies of AWS::IAM::Role) and resource policies (any resource with a
 * {@code PolicyDocument} or {@code KeyPolicy}: bucket, queue, key, VPC endpoint). Trust policies
 * ({@code AssumeRolePolicyDocument}) are not permissions and are left out.
 */
final class Policies {

    /** One statement and where it came from. */
    record Statement(String logicalId, String resourceType, Map<String, Object> json) {

        String effect() {
            return (String) json.get("Effect");
        }

        boolean allows() {
            return "Allow".equals(effect());
        }

        Set<String> actions() {
            Set<String> actions = new TreeSet<>();
            oneOrMany(json.get("Action")).forEach(a -> actions.add((String) a));
            return actions;
        }

        List<Object> resources() {
            return oneOrMany(json.get("Resource"));
        }

        boolean hasWildcardResource() {
            return resources().contains("*");
        }

        boolean hasWildcardAction() {
            return actions().stream().anyMatch(a -> a.contains("*"));
        }

        /** NotAction and NotResource allow everything but a list: as broad as a wildcard. */
        boolean usesNot() {
            return json.containsKey("NotAction") || json.containsKey("NotResource");
        }

        Object condition() {
            return json.get("Condition");
        }

        Object principal() {
            return json.get("Principal");
        }

        @Override
        public String toString() {
            return resourceType + " " + logicalId + ": " + toJson(json);
        }
    }

    private Policies() {
    }

    static List<Statement> all(Template template) {
        List<Statement> statements = new ArrayList<>();
        Cfn.resources(template).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            String type = (String) resource.get("Type");
            Map<String, Object> properties = map(resource.getOrDefault("Properties", Map.of()));
            for (String key : List.of("PolicyDocument", "KeyPolicy")) {
                if (properties.containsKey(key)) {
                    addStatements(statements, id, type, properties.get(key));
                }
            }
            for (Object inline : oneOrMany(properties.get("Policies"))) {
                if (inline instanceof Map<?, ?> policy && policy.containsKey("PolicyDocument")) {
                    addStatements(statements, id, type, policy.get("PolicyDocument"));
                }
            }
        });
        return statements;
    }

    private static void addStatements(List<Statement> into, String id, String type, Object document) {
        for (Object statement : oneOrMany(map(document).get("Statement"))) {
            into.add(new Statement(id, type, map(statement)));
        }
    }

    /** The statements of the identity policies attached to the role {@code roleId} (and its inline ones). */
    static List<Statement> ofRole(Template template, String roleId) {
        List<Statement> statements = new ArrayList<>();
        Cfn.ofType(template, "AWS::IAM::Policy").forEach((id, policy) -> {
            Map<String, Object> properties = map(policy.get("Properties"));
            if (oneOrMany(properties.get("Roles")).contains(Cfn.ref(roleId))) {
                addStatements(statements, id, "AWS::IAM::Policy", properties.get("PolicyDocument"));
            }
        });
        Cfn.ofType(template, "AWS::IAM::ManagedPolicy").forEach((id, policy) -> {
            Map<String, Object> properties = map(policy.get("Properties"));
            if (oneOrMany(properties.get("Roles")).contains(Cfn.ref(roleId))) {
                addStatements(statements, id, "AWS::IAM::ManagedPolicy", properties.get("PolicyDocument"));
            }
        });
        for (Object inline : oneOrMany(Cfn.properties(template, roleId).get("Policies"))) {
            addStatements(statements, roleId, "AWS::IAM::Role", map(inline).get("PolicyDocument"));
        }
        return statements;
    }

    /**
     * A role's Allow statements as "what it may do on what": a readable label of each resource
     * (see {@link #label}) to the actions allowed on it.
     */
    static Map<String, Set<String>> actionsByResource(Template template, String roleId) {
        Map<String, Set<String>> byResource = new TreeMap<>();
        for (Statement statement : ofRole(template, roleId)) {
            if (!statement.allows()) {
                continue;
            }
            for (Object resource : statement.resources()) {
                byResource.computeIfAbsent(label(template, resource), k -> new TreeSet<>()).addAll(statement.actions());
            }
        }
        return byResource;
    }

    /** All actions a role is allowed. */
    static Set<String> actionsOf(Template template, String roleId) {
        Set<String> actions = new TreeSet<>();
        ofRole(template, roleId).stream().filter(Statement::allows).forEach(s -> actions.addAll(s.actions()));
        return actions;
    }

    /**
     * A short name for a policy resource: "table", "index", "stream", "key", "queue", "bucket",
     * "bucket-objects" (a bucket's {@code /*}), "log-group",
     * "dax-cluster", "serverless-cache", "elasticache-user", "repository", "secret" (a complete secret ARN, or a secret of the template),
     * "*"; anything else as its JSON, so it cannot be mistaken for one of them.
     */
    static String label(Template template, Object resource) {
        if ("*".equals(resource)) {
            return "*";
        }
        if (resource instanceof String text) {
            return text.startsWith("arn:aws:secretsmanager:") ? "secret" : text;
        }
        Map<String, Object> intrinsic = map(resource);
        if (intrinsic.containsKey("Ref") && Set.of("AWS::SecretsManager::Secret", "AWS::SecretsManager::SecretTargetAttachment")
                .contains(Cfn.typeOf(template, (String) intrinsic.get("Ref")))) {
            return "secret";
        }
        if (intrinsic.containsKey("Fn::GetAtt")) {
            List<Object> getAtt = list(intrinsic.get("Fn::GetAtt"));
            String type = Cfn.typeOf(template, (String) getAtt.get(0));
            String attribute = (String) getAtt.get(1);
            String label = switch (type + "." + attribute) {
                case "AWS::DynamoDB::Table.Arn" -> "table";
                case "AWS::DynamoDB::Table.StreamArn" -> "stream";
                case "AWS::KMS::Key.Arn" -> "key";
                case "AWS::SQS::Queue.Arn" -> "queue";
                case "AWS::S3::Bucket.Arn" -> "bucket";
                case "AWS::Logs::LogGroup.Arn" -> "log-group";
                case "AWS::DAX::Cluster.Arn" -> "dax-cluster";
                case "AWS::ElastiCache::ServerlessCache.ARN" -> "serverless-cache";
                case "AWS::ElastiCache::User.Arn" -> "elasticache-user";
                default -> null;
            };
            if (label != null) {
                return label;
            }
        }
        String json = toJson(resource);
        if (json.matches("\\{\"Fn::Join\":\\[\"\",\\[\\{\"Fn::GetAtt\":\\[\"[A-Za-z0-9]+\",\"Arn\"]},"
                + "\"/index/message-group-sk-index\"]]}")
                && "AWS::DynamoDB::Table".equals(Cfn.typeOf(template, (String) list(map(list(list(intrinsic.get("Fn::Join"))
                        .get(1)).get(0)).get("Fn::GetAtt")).get(0)))) {
            return "index";
        }
        if (json.matches("\\{\"Fn::Join\":\\[\"\",\\[\\{\"Fn::GetAtt\":\\[\"[A-Za-z0-9]+\",\"Arn\"]},\"/\\*\"]]}")
                && "AWS::S3::Bucket".equals(Cfn.typeOf(template, (String) list(map(list(list(intrinsic.get("Fn::Join"))
                        .get(1)).get(0)).get("Fn::GetAtt")).get(0)))) {
            return "bucket-objects";
        }
        if (json.contains(":ecr:eu-west-1:123456789012:repository/cruddur-messages\"")) {
            return "repository";
        }
        return json;
    }

    static String toJson(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
