package app.cruddur.infra;

import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.Policies.Statement;
import app.cruddur.infra.keys.MessageKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * IAM with least privilege, checked on the synthesized templates rather than on the code, so that
 * whatever CDK adds on its own is checked too.
 */
class LeastPrivilegeTest {

    /**
     * Every Allow statement that may have a {@code *} resource or a wildcard action, and why.
     * Anything else with {@code *} fails {@link #noWildcardsOutsideTheAllowList}.
     */
    record Allowed(String resourceType, Set<String> actions, String why) {
    }

    static final List<Allowed> ALLOW_LIST = List.of(
            new Allowed("AWS::IAM::Policy", Set.of("ecr:GetAuthorizationToken"),
                    "ECS execution role: GetAuthorizationToken has no resource type (the token is for the"
                            + " whole registry); the image pull itself is limited to the repository"),
            new Allowed("AWS::IAM::Policy", Set.of(
                    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                    "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"),
                    "Lambda in a VPC: Lambda manages the function's interfaces with its role; the Describe"
                            + " actions have no resource type and the interfaces do not exist beforehand"
                            + " (what AWSLambdaVPCAccessExecutionRole grants)"),
            new Allowed("AWS::IAM::Policy", Set.copyOf(Access.TRACE_WRITE_ACTIONS),
                    "X-Ray: PutTraceSegments and PutTelemetryRecords have no resource type; the collector beside"
                            + " the service and Lambda's active tracing send spans with them (what AWSXRayDaemonWriteAccess grants)"),
            new Allowed("AWS::IAM::Policy", Set.of("dynamodb:ListStreams"),
                    "Stream Lambda: ListStreams has no resource type in the Service Authorization Reference"
                            + " (it lists the account's streams); it returns stream ARNs, no data"),
            new Allowed("AWS::KMS::Key", Set.of("kms:*"),
                    "The key policy's default statement: the account root may use the key, which hands"
                            + " the decision to IAM policies; in a key policy the resource is always the key itself"),
            new Allowed("AWS::KMS::Key", Set.of("kms:Decrypt", "kms:GenerateDataKey"),
                    "The alarm topic's key: CloudWatch publishing to the encrypted topic needs the key (SNS"
                            + " generates a data key per notification with the publisher's permission); in a key"
                            + " policy the resource is the key itself, and the statement is limited to this"
                            + " account's alarms and to data keys for the alarm topic"),
            new Allowed("AWS::KMS::Key", Set.copyOf(MessageKeys.ADMIN_ACTIONS),
                    "The texts' key policy: the account administers the key (its IAM policies decide who) and"
                            + " may not use it; in a key policy the resource is always the key itself"),
            new Allowed("AWS::KMS::Key", Set.of("kms:Decrypt", "kms:Encrypt"),
                    "The texts' key policy: the task role wraps and unwraps the wrapping key, held to its"
                            + " encryption context; in a key policy the resource is always the key itself"));

    private static Template defaults;
    private static Template full;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
    }

    @Test
    void noWildcardsOutsideTheAllowList() {
        for (Template template : List.of(defaults, full)) {
            List<String> offending = new ArrayList<>();
            List<Statement> statements = Policies.all(template);
            assertTrue(statements.size() > 20, "the walk finds the policies");
            for (Statement statement : statements) {
                // Deny statements (enforce SSL on the bucket and queue) only take rights away.
                if (!statement.allows()) {
                    continue;
                }
                boolean wildcard = statement.hasWildcardAction() || statement.hasWildcardResource() || statement.usesNot();
                if (wildcard && allowed(statement) == null) {
                    offending.add(statement.toString());
                }
            }
            assertEquals(List.of(), offending, "Allow statements with * outside the allow-list");
        }
    }

    @Test
    void everyAllowListEntryIsStillNeeded() {
        Set<Allowed> used = new HashSet<>();
        for (Template template : List.of(defaults, full)) {
            for (Statement statement : Policies.all(template)) {
                Allowed entry = allowed(statement);
                if (entry != null && statement.allows()) {
                    used.add(entry);
                }
            }
        }
        assertEquals(Set.copyOf(ALLOW_LIST), used, "allow-list entries no statement needs any more");
    }

    @Test
    void allowListedStatementsHaveOnlyTheirResource() {
        // A * statement on the list must not carry other actions or resources with it.
        for (Statement statement : Policies.all(full)) {
            if (statement.allows() && statement.hasWildcardResource()) {
                assertEquals(List.of("*"), statement.resources(), statement.toString());
            }
        }
    }

    @Test
    void noRoleHasManagedPolicies() {
        for (Template template : List.of(defaults, full)) {
            Cfn.ofType(template, "AWS::IAM::Role").forEach((id, role) ->
                    assertFalse(map(role.get("Properties")).containsKey("ManagedPolicyArns"),
                            id + " has managed policies: " + role));
            assertTrue(Cfn.ofType(template, "AWS::IAM::ManagedPolicy").isEmpty(), "managed policies");
            assertTrue(Cfn.ofType(template, "AWS::IAM::User").isEmpty(), "IAM users");
        }
    }

    @Test
    void onlyTheEndpointPolicyAllowsAnyPrincipal() {
        for (Template template : List.of(defaults, full)) {
            for (Statement statement : Policies.all(template)) {
                if (statement.allows() && Map.of("AWS", "*").equals(statement.principal())) {
                    assertEquals("AWS::EC2::VPCEndpoint", statement.resourceType(),
                            "an Allow to anyone outside the endpoint policy: " + statement);
                }
            }
        }
    }

    @Test
    void servicesAreAdmittedOnlyForTheirOwnSource() {
        // A service principal in a resource policy acts for any customer unless the statement names
        // the source (confused deputy): the trail for the bucket, the alarms and the trail's rules for
        // the topic and its key, this account's log deliveries and the two buckets for the log
        // bucket, the failure rule for the failure queue. The one exception: EventBridge using the
        // topic's key, which KMS cannot check for the rule (it learns no source when EventBridge
        // publishes to an encrypted topic): that statement is held to data keys of the topic.
        int serviceGrants = 0;
        for (Template template : List.of(defaults, full)) {
            for (Statement statement : Policies.all(template)) {
                if (statement.allows() && statement.principal() instanceof Map<?, ?> principal
                        && principal.containsKey("Service")) {
                    String condition = Policies.toJson(statement.condition());
                    boolean eventBridgeOnTheTopicKey = principal.equals(Map.of("Service", "events.amazonaws.com"))
                            && statement.resourceType().equals("AWS::KMS::Key");
                    assertTrue(eventBridgeOnTheTopicKey
                                    ? condition.equals("{\"StringEquals\":{\"kms:EncryptionContext:aws:sns:topicArn\":"
                                            + Policies.toJson(topicArn(template)) + "}}")
                                    : condition.contains("\"aws:SourceArn\""),
                            "not held to its source: " + statement);
                    serviceGrants++;
                }
            }
        }
        assertEquals(2 * 11, serviceGrants, "the trail's two, the alarms' two, the rules' two, the flow logs' two,"
                + " the S3 access logs' two and the failure rule's one, in each template");
    }

    /** The alarm topic's ARN as the template writes it in a policy. */
    private static Object topicArn(Template template) {
        for (Statement statement : Policies.all(template)) {
            if (statement.resourceType().equals("AWS::KMS::Key") && statement.principal() instanceof Map<?, ?> principal
                    && principal.equals(Map.of("Service", "cloudwatch.amazonaws.com"))) {
                return map(map(statement.condition()).get("StringEquals")).get("kms:EncryptionContext:aws:sns:topicArn");
            }
        }
        throw new AssertionError("no CloudWatch statement in the topic key's policy");
    }

    @Test
    void theRolesAreThoseExpected() {
        assertEquals(5, Cfn.ofType(defaults, "AWS::IAM::Role").size(),
                "task, execution, projection and sign-up Lambdas' and task replacement roles");
        assertEquals(4, Cfn.ofType(full, "AWS::IAM::Role").size(), "task, execution, Lambda and DAX roles");
        assertEquals(Set.of("lambda.amazonaws.com"), trustedServices(defaults, lambdaRole(defaults)));
        assertEquals(Set.of("ecs-tasks.amazonaws.com"), trustedServices(defaults, taskRole(defaults)));
        assertEquals(Set.of("ecs-tasks.amazonaws.com"), trustedServices(defaults, executionRole(defaults)));
        assertEquals(Set.of("dax.amazonaws.com"), trustedServices(full, daxRole(full)));
    }

    @Test
    void theLambdaRoleMayDoExactlyWhatTheProjectionDoes() {
        Map<String, Set<String>> expected = Map.of(
                // Query on the table: the count of a member's unread messages (pattern N).
                "table", Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                "index", Set.of("dynamodb:Query"),
                "stream", Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
                "*", Set.of("dynamodb:ListStreams",
                        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
                        // Active tracing: each invocation a segment in X-Ray.
                        "xray:PutTraceSegments", "xray:PutTelemetryRecords"),
                "key", Set.of("kms:Decrypt", "kms:DescribeKey"),
                "bucket", Set.of("s3:ListBucket"),
                "bucket-objects", Set.of("s3:PutObject"),
                "log-group", Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                "serverless-cache", Set.of("elasticache:Connect"),
                "elasticache-user", Set.of("elasticache:Connect"));
        for (Template template : List.of(defaults, full)) {
            assertEquals(expected, Policies.actionsByResource(template, lambdaRole(template)));
        }
    }

    @Test
    void theTaskRoleMayDoExactlyWhatTheServiceDoes() {
        Map<String, Set<String>> withoutDax = Map.of(
                // The messages table, and the key table (BatchGetItem, GetItem, PutItem: theTextsKeyIsTheServicesAlone).
                "table", Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem",
                        "dynamodb:DescribeTable", "dynamodb:BatchGetItem"),
                "index", Set.of("dynamodb:Query"),
                // The table's key through DynamoDB, and the texts' key (Encrypt, Decrypt).
                "key", Set.of("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt"),
                // The collector beside the service, writing its metrics (EMF) to their log group,
                "log-group", Set.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                // and the service's spans to X-Ray.
                "*", Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"));
        assertEquals(withoutDax, Policies.actionsByResource(defaults, taskRole(defaults)));

        Map<String, Set<String>> withDax = new java.util.TreeMap<>(withoutDax);
        withDax.put("dax-cluster", Set.of("dax:Query"));
        assertEquals(withDax, Policies.actionsByResource(full, taskRole(full)));
    }

    @Test
    void theExecutionRoleMayOnlyPullTheImageWriteLogsAndReadTheOneSecret() {
        Map<String, Set<String>> expected = Map.of(
                "repository", Set.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"),
                "*", Set.of("ecr:GetAuthorizationToken"),
                "log-group", Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                "secret", Set.of("secretsmanager:GetSecretValue"));
        for (Template template : List.of(defaults, full)) {
            assertEquals(expected, Policies.actionsByResource(template, executionRole(template)));
        }
        // The database the stack creates: exactly its two generated logins (ARNs known at deployment),
        // the master's for the init run and the service's own.
        Object events = Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::Secret", "EventsSecret"));
        assertEquals(Set.of(Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::Secret", "DatabaseSecret")),
                        Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::SecretTargetAttachment",
                                "DatabaseApplicationSecretAttachment")),
                        Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::SecretsManager::SecretTargetAttachment",
                                "DatabaseSignUpSecretAttachment")), events),
                Set.copyOf(secretResources(defaults)), "exactly the generated logins and the event cache's password");
        // An existing database: exactly the configured secret (and the event cache's password).
        assertEquals(Set.of(Synth.SECRET_ARN, Cfn.ref(Cfn.onlyIdUnder(full, "AWS::SecretsManager::Secret", "EventsSecret"))),
                Set.copyOf(secretResources(full)), "exactly the configured secret");
    }

    @Test
    void theDatabaseKeyIsGrantedToNoRole() {
        // RDS uses its key itself; the secret is on Secrets Manager's own key, so the execution
        // role reads it without a KMS grant.
        String databaseKey = Cfn.referencedId(Cfn.onlyProperties(defaults, "AWS::RDS::DBInstance").get("KmsKeyId"));
        for (Statement statement : Policies.all(defaults)) {
            if (statement.resourceType().startsWith("AWS::IAM::")) {
                assertFalse(Policies.toJson(statement.resources()).contains(databaseKey), statement.toString());
            }
        }
        assertFalse(Policies.actionsOf(defaults, executionRole(defaults)).stream().anyMatch(a -> a.startsWith("kms:")));
    }

    @Test
    void theDaxRoleMayOnlyReadTheTable() {
        Map<String, Set<String>> expected = Map.of(
                "table", Set.of("dynamodb:DescribeTable", "dynamodb:Query"),
                "key", Set.of("kms:Decrypt", "kms:DescribeKey"));
        assertEquals(expected, Policies.actionsByResource(full, daxRole(full)));
    }

    @Test
    void theKeyIsUsableOnlyThroughDynamoDb() {
        Map<String, Object> viaDynamoDb = Map.of("StringEquals",
                Map.of("kms:ViaService", "dynamodb.eu-west-1.amazonaws.com"));
        int keyStatements = 0;
        String textsKey = textsKey(full);
        for (Statement statement : Policies.all(full)) {
            if (statement.resourceType().startsWith("AWS::IAM::")
                    && statement.actions().stream().anyMatch(a -> a.startsWith("kms:"))
                    && !Policies.toJson(statement.resources()).contains(textsKey)) {
                assertEquals(viaDynamoDb, statement.condition(), statement.toString());
                keyStatements++;
            }
        }
        assertEquals(3, keyStatements, "the task, Lambda and DAX roles");
    }

    @Test
    void theTextsKeyIsTheServicesAlone() {
        for (Template template : List.of(defaults, full)) {
            String textsKey = textsKey(template);
            Map<String, Object> context = Map.of("StringEquals", Map.of("kms:EncryptionContext:purpose", MessageKeys.CONTEXT_PURPOSE));
            // Its key policy: the account administers it, the task role uses it with the wrapping key's context, nobody else.
            List<Statement> keyPolicy = Policies.all(template).stream()
                    .filter(statement -> statement.resourceType().equals("AWS::KMS::Key") && statement.logicalId().equals(textsKey))
                    .toList();
            assertEquals(2, keyPolicy.size(), keyPolicy.toString());
            assertTrue(keyPolicy.get(0).actions().stream().noneMatch(Access.TEXT_KEY_ACTIONS::contains), "the account may not use it");
            assertEquals(Set.copyOf(Access.TEXT_KEY_ACTIONS), keyPolicy.get(1).actions());
            assertEquals(Map.of("AWS", Map.of("Fn::GetAtt", List.of(taskRole(template), "Arn"))), keyPolicy.get(1).principal());
            assertEquals(context, keyPolicy.get(1).condition());
            // In the roles' policies: the task role only, with the same context, and the key table's three actions.
            List<Statement> grants = Policies.all(template).stream()
                    .filter(statement -> statement.resourceType().startsWith("AWS::IAM::")
                            && Policies.toJson(statement.resources()).contains(textsKey))
                    .toList();
            assertEquals(1, grants.size(), grants.toString());
            assertEquals(Set.copyOf(Access.TEXT_KEY_ACTIONS), grants.get(0).actions());
            assertEquals(context, grants.get(0).condition());
            assertTrue(Policies.ofRole(template, taskRole(template)).contains(grants.get(0)), "granted to the task role");
            String keyTable = Cfn.onlyIdUnder(template, "AWS::DynamoDB::Table", "KeysTable");
            List<Statement> keyTableGrants = Policies.all(template).stream()
                    .filter(statement -> statement.resourceType().startsWith("AWS::IAM::")
                            && Policies.toJson(statement.resources()).contains(keyTable))
                    .toList();
            assertEquals(1, keyTableGrants.size(), "only the task role reaches the key table: " + keyTableGrants);
            assertEquals(Set.copyOf(Access.KEY_TABLE_ACTIONS), keyTableGrants.get(0).actions());
            assertTrue(Policies.ofRole(template, taskRole(template)).contains(keyTableGrants.get(0)));
        }
    }

    @Test
    void theActionListsInAccessAreTheReviewedOnes() {
        // Stated again here so that a change in Access is a visible change in this test too.
        assertEquals(List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem",
                "dynamodb:DescribeTable"), Access.SERVICE_TABLE_ACTIONS);
        assertEquals(List.of("dynamodb:Query"), Access.SERVICE_INDEX_ACTIONS);
        assertEquals(List.of("dax:Query"), Access.SERVICE_DAX_ACTIONS);
        assertEquals(List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                Access.PROJECTOR_TABLE_ACTIONS);
        assertEquals(List.of("dynamodb:Query"), Access.PROJECTOR_INDEX_ACTIONS);
        assertEquals(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
                Access.STREAM_READ_ACTIONS);
        assertEquals(List.of("dynamodb:ListStreams"), Access.STREAM_LIST_ACTIONS);
        assertEquals(List.of("dynamodb:DescribeTable", "dynamodb:Query"), Access.DAX_TABLE_ACTIONS);
        assertEquals(List.of("kms:Decrypt", "kms:DescribeKey"), Access.TABLE_KEY_ACTIONS);
        assertEquals(List.of("secretsmanager:GetSecretValue"), Access.SECRET_READ_ACTIONS);
        assertEquals(List.of("sqs:SendMessage"), Access.FAILURE_QUEUE_ACTIONS);
        assertEquals(List.of("s3:PutObject"), Access.FAILURE_BUCKET_WRITE_ACTIONS);
        assertEquals(List.of("s3:ListBucket"), Access.FAILURE_BUCKET_LIST_ACTIONS);
        assertEquals(List.of("s3:GetObject"), Access.IMAGE_LAYER_READ_ACTIONS);
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                Access.METRICS_LOG_ACTIONS);
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents"), Access.LOG_WRITE_ACTIONS);
        assertEquals(List.of("sns:Publish"), Access.ALARM_PUBLISH_ACTIONS);
        assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey"), Access.ALARM_TOPIC_KEY_ACTIONS);
        assertEquals(List.of("s3:PutObject"), Access.LOG_DELIVERY_WRITE_ACTIONS);
        assertEquals(List.of("s3:GetBucketAcl", "s3:ListBucket"), Access.LOG_DELIVERY_CHECK_ACTIONS);
        assertEquals(List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem"), Access.KEY_TABLE_ACTIONS);
        assertEquals(List.of("kms:Decrypt", "kms:Encrypt"), Access.TEXT_KEY_ACTIONS);
        assertEquals(List.of("dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem",
                "dynamodb:PutItem", "dynamodb:Query"), Access.endpointActions());
    }

    private static Allowed allowed(Statement statement) {
        for (Allowed entry : ALLOW_LIST) {
            if (entry.resourceType().equals(statement.resourceType()) && entry.actions().equals(statement.actions())) {
                return entry;
            }
        }
        return null;
    }

    private static List<Object> secretResources(Template template) {
        return Policies.ofRole(template, executionRole(template)).stream()
                .filter(s -> s.actions().contains("secretsmanager:GetSecretValue"))
                .flatMap(s -> s.resources().stream()).toList();
    }

    static String lambdaRole(Template template) {
        return Cfn.referencedId(Cfn.properties(template, Cfn.onlyIdUnder(template, "AWS::Lambda::Function", "ProjectionFunction")).get("Role"));
    }

    /** The texts' KMS key: the one its alias names ...-texts. */
    static String textsKey(Template template) {
        List<String> keys = Cfn.ofType(template, "AWS::KMS::Alias").values().stream()
                .map(alias -> Cfn.map(alias.get("Properties")))
                .filter(properties -> ((String) properties.get("AliasName")).endsWith("-texts"))
                .map(properties -> Cfn.referencedId(properties.get("TargetKeyId")))
                .toList();
        assertEquals(1, keys.size(), "one texts key");
        return keys.get(0);
    }

    static String taskRole(Template template) {
        return Cfn.referencedId(Cfn.onlyProperties(template, "AWS::ECS::TaskDefinition").get("TaskRoleArn"));
    }

    static String executionRole(Template template) {
        return Cfn.referencedId(Cfn.onlyProperties(template, "AWS::ECS::TaskDefinition").get("ExecutionRoleArn"));
    }

    static String daxRole(Template template) {
        return Cfn.referencedId(Cfn.onlyProperties(template, "AWS::DAX::Cluster").get("IAMRoleARN"));
    }

    private static Set<String> trustedServices(Template template, String roleId) {
        Set<String> services = new HashSet<>();
        Map<String, Object> trust = map(Cfn.properties(template, roleId).get("AssumeRolePolicyDocument"));
        for (Object statement : Cfn.oneOrMany(trust.get("Statement"))) {
            assertEquals("sts:AssumeRole", map(statement).get("Action"));
            Cfn.oneOrMany(map(map(statement).get("Principal")).get("Service")).forEach(s -> services.add((String) s));
        }
        return services;
    }
}
