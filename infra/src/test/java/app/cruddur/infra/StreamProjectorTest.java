package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stream projection Lambda: function, event source mapping (filtered to messages' INSERTs),
 * failure bucket and the queue of its notices, network and logs.
 */
class StreamProjectorTest {

    private static Template defaults;
    private static Template full;
    private static String tableId;
    private static String functionId;
    private static Map<String, Object> function;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
        tableId = Cfn.messagesTable(defaults);
        functionId = Cfn.onlyIdUnder(defaults, "AWS::Lambda::Function", "ProjectionFunction");
        function = Cfn.properties(defaults, functionId);
    }

    @Test
    void runsTheHandlerOnJava25WithItsMemoryAndTimeout() {
        defaults.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Runtime", "java25",
                "Handler", "app.cruddur.messages.projection.lambda.StreamLambdaHandler::handleRequest",
                "MemorySize", 1024,
                "Timeout", 60,
                "Architectures", List.of("x86_64"),
                // Each invocation a segment in X-Ray.
                "TracingConfig", Map.of("Mode", "Active")));
    }

    @Test
    void theStreamInvokesTheLiveAliasOfAPublishedVersionWhichSnapStartResumes() {
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), function.get("SnapStart"));
        String versionId = Cfn.onlyIdUnder(defaults, "AWS::Lambda::Version", "ProjectionFunctionCurrentVersion");
        assertEquals(Cfn.ref(functionId), Cfn.properties(defaults, versionId).get("FunctionName"));
        String aliasId = Cfn.onlyIdUnder(defaults, "AWS::Lambda::Alias", "ProjectionLive");
        Map<String, Object> alias = Cfn.properties(defaults, aliasId);
        assertEquals("live", alias.get("Name"));
        assertEquals(Cfn.getAtt(versionId, "Version"), alias.get("FunctionVersion"));
        Map<String, Object> mapping = Cfn.onlyProperties(defaults, "AWS::Lambda::EventSourceMapping");
        assertEquals(Cfn.ref(aliasId), mapping.get("FunctionName"), "never $LATEST, which SnapStart does not resume");
    }

    @Test
    void isToldTheTableTheIndexAndTheEventCache() {
        String cache = Cfn.onlyId(defaults, "AWS::ElastiCache::ServerlessCache");
        assertEquals(Map.of("Variables", Map.of(
                        "DYNAMODB_TABLE_NAME", Cfn.ref(tableId),
                        "DYNAMODB_GROUP_INDEX", "message-group-sk-index",
                        "REDIS_ENDPOINT", Map.of("Fn::Join", List.of("", List.of(Cfn.getAtt(cache, "Endpoint.Address"), ":",
                                Cfn.getAtt(cache, "Endpoint.Port")))),
                        "REDIS_USER", "cruddur-messages-projection",
                        "REDIS_CACHE_NAME", "cruddur-messages-events")),
                function.get("Environment"));
    }

    @Test
    void codeIsTheJarGivenInTheSettings() {
        Capture key = new Capture();
        defaults.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Code", Map.of("S3Key", key)));
        assertTrue(key.asString().endsWith(".jar"), key.asString());
        assertEquals(StackSettings.DEFAULT_LAMBDA_JAR, Synth.cdkJsonContext().get("lambdaJarPath"),
                "cdk.json points at the service's shaded jar");
        assertEquals("../target/cruddur-messages-1.0.0-SNAPSHOT-lambda.jar", StackSettings.DEFAULT_LAMBDA_JAR);
    }

    @Test
    void readsTheStreamFromTheOldestRecordInBatchesWithBoundedRetries() {
        String bucketId = Cfn.onlyIdUnder(defaults, "AWS::S3::Bucket", "ProjectionFailureBucket");
        defaults.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        defaults.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.ofEntries(
                Map.entry("FunctionName", Cfn.ref(Cfn.onlyIdUnder(defaults, "AWS::Lambda::Alias", "ProjectionLive"))),
                Map.entry("EventSourceArn", Cfn.getAtt(tableId, "StreamArn")),
                Map.entry("StartingPosition", "TRIM_HORIZON"),
                Map.entry("BatchSize", 100),
                Map.entry("MaximumBatchingWindowInSeconds", 1),
                Map.entry("BisectBatchOnFunctionError", true),
                Map.entry("FunctionResponseTypes", List.of("ReportBatchItemFailures")),
                Map.entry("MaximumRetryAttempts", 5),
                // A record waits up to 12 hours (an outage, throttling) before it goes to the bucket.
                Map.entry("MaximumRecordAgeInSeconds", 12 * 3600),
                Map.entry("ParallelizationFactor", 1),
                Map.entry("Enabled", true),
                Map.entry("DestinationConfig", Map.of("OnFailure", Map.of("Destination", Cfn.getAtt(bucketId, "Arn"))))));
    }

    @Test
    void isInvokedOnlyForAMessagesInsertAndItsEditOrDelete() throws Exception {
        Map<String, Object> mapping = Cfn.onlyProperties(defaults, "AWS::Lambda::EventSourceMapping");
        List<Object> filters = list(map(mapping.get("FilterCriteria")).get("Filters"));
        assertEquals(2, filters.size());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<?, ?> inserts = json.readValue((String) map(filters.get(0)).get("Pattern"), Map.class);
        assertEquals(Map.of("eventName", List.of("INSERT"),
                        "dynamodb", Map.of("NewImage", Map.of("pk", Map.of("S", List.of(Map.of("prefix", "MSG#")))))),
                inserts, "its own row writes, other items and TTL deletions never invoke it");
        Map<?, ?> changes = json.readValue((String) map(filters.get(1)).get("Pattern"), Map.class);
        assertEquals(Map.of("eventName", List.of("MODIFY"),
                        "dynamodb", Map.of("NewImage", Map.of("pk", Map.of("S", List.of(Map.of("prefix", "MSG#"))),
                                "message_version", Map.of("N", List.of(Map.of("exists", true)))))),
                changes, "a message's edit or delete (it carries a version); never a list entry's change");
    }

    @Test
    void aFailedBatchIsKeptWithItsRecordsAndPutOnTheReplayList() {
        String bucketId = Cfn.onlyIdUnder(defaults, "AWS::S3::Bucket", "ProjectionFailureBucket");
        Map<String, Object> bucket = Cfn.properties(defaults, bucketId);
        assertEquals(Map.of("ServerSideEncryptionConfiguration", List.of(
                        Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                bucket.get("BucketEncryption"));
        assertEquals(Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true)),
                bucket.get("NotificationConfiguration"), "S3 tells EventBridge of each stored batch");
        assertEquals(Map.of("Rules", List.of(Map.of("Id", "expire-failed-batches", "ExpirationInDays", 90,
                "Status", "Enabled"))), bucket.get("LifecycleConfiguration"));
        assertEquals("Retain", map(Cfn.resources(defaults).get(bucketId)).get("DeletionPolicy"));

        String queueId = Cfn.onlyId(defaults, "AWS::SQS::Queue");
        Map<String, Object> rule = Cfn.properties(defaults,
                Cfn.onlyIdUnder(defaults, "AWS::Events::Rule", "ProjectionFailureStored"));
        assertEquals("cruddur-messages-projection-failure-stored", rule.get("Name"));
        assertEquals(Map.of("source", List.of("aws.s3"), "detail-type", List.of("Object Created"),
                        "detail", Map.of("bucket", Map.of("name", List.of(Cfn.ref(bucketId))))),
                rule.get("EventPattern"));
        assertEquals(List.of(Map.of("Id", "FailureQueue", "Arn", Cfn.getAtt(queueId, "Arn"))), rule.get("Targets"));
    }

    @Test
    void mappingAndFunctionWaitForTheRolePolicy() {
        String policyId = Cfn.ofType(defaults, "AWS::IAM::Policy").entrySet().stream()
                .filter(e -> list(map(e.getValue().get("Properties")).get("Roles"))
                        .contains(Cfn.ref(LeastPrivilegeTest.lambdaRole(defaults))))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        defaults.hasResource("AWS::Lambda::EventSourceMapping", Map.of("DependsOn", Match.arrayWith(List.of(policyId))));
        defaults.hasResource("AWS::Lambda::Function", Map.of("DependsOn", Match.arrayWith(List.of(policyId))));
    }

    @Test
    void noticesOfFailuresGoToAnEncryptedQueueThatKeepsThemTwoWeeks() {
        defaults.resourceCountIs("AWS::SQS::Queue", 1);
        defaults.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "SqsManagedSseEnabled", true,
                "MessageRetentionPeriod", 14 * 24 * 3600));
        // Only TLS connections to the queue, and only the failure rule may send to it.
        String queueId = Cfn.onlyId(defaults, "AWS::SQS::Queue");
        defaults.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of(
                "Statement", List.of(
                        Map.of("Effect", "Deny",
                                "Action", "sqs:*",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))),
                        Map.of("Sid", "FailureStoredNotices",
                                "Effect", "Allow",
                                "Principal", Map.of("Service", "events.amazonaws.com"),
                                "Action", "sqs:SendMessage",
                                "Resource", Cfn.getAtt(queueId, "Arn"),
                                "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", Map.of("Fn::Join",
                                        List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                                ":events:eu-west-1:123456789012:rule/cruddur-messages-projection-failure-stored"))))))))));
    }

    @Test
    void runsInThePrivateSubnetsWithItsOwnSecurityGroup() {
        Map<String, Object> vpcConfig = map(function.get("VpcConfig"));
        Set<String> subnets = new TreeSet<>();
        list(vpcConfig.get("SubnetIds")).forEach(s -> subnets.add(Cfn.referencedId(s)));
        assertEquals(new TreeSet<>(Cfn.subnetIds(defaults, "private")), subnets);
        List<Object> groups = list(vpcConfig.get("SecurityGroupIds"));
        assertEquals(1, groups.size());
        assertEquals(projectorGroup(defaults), Cfn.referencedId(groups.get(0)));
    }

    @Test
    void mayOnlySendHttpsToDynamoDbsPrefixListWhenItIsKnown() {
        String group = projectorGroup(full);
        assertEquals(List.of(Map.of(
                        "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443,
                        "DestinationPrefixListId", Synth.PREFIX_LIST), toTheEventCache(full)),
                SecurityGroups.egress(full, group));
        assertEquals(List.of(), SecurityGroups.ingress(full, group), "nothing connects to the function");
    }

    @Test
    void mayOnlySendHttpsWithoutThePrefixList() {
        String group = projectorGroup(defaults);
        assertEquals(List.of(Map.of("IpProtocol", "tcp", "FromPort", 443, "ToPort", 443, "CidrIp", "0.0.0.0/0"),
                        toTheEventCache(defaults)),
                SecurityGroups.egress(defaults, group));
        assertEquals(List.of(), SecurityGroups.ingress(defaults, group), "nothing connects to the function");
    }

    /** The egress rule to the event cache's group on its port. */
    static Map<String, Object> toTheEventCache(Template template) {
        return Map.of("IpProtocol", "tcp", "FromPort", 6379, "ToPort", 6379,
                "DestinationSecurityGroupId", Cfn.onlyIdUnder(template, "AWS::EC2::SecurityGroup", "Events"));
    }

    @Test
    void logsToItsOwnGroupWithRetention() {
        String logGroup = Cfn.referencedId(map(function.get("LoggingConfig")).get("LogGroup"));
        assertEquals("AWS::Logs::LogGroup", Cfn.typeOf(defaults, logGroup));
        assertEquals(30, Cfn.properties(defaults, logGroup).get("RetentionInDays"));
    }

    private static String projectorGroup(Template template) {
        Map<String, Object> config = map(Cfn.properties(template, Cfn.onlyIdUnder(template, "AWS::Lambda::Function", "ProjectionFunction")).get("VpcConfig"));
        return Cfn.referencedId(list(config.get("SecurityGroupIds")).get(0));
    }
}
