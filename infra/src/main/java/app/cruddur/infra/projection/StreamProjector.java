package app.cruddur.infra.projection;

import app.cruddur.infra.Access;
import app.cruddur.infra.JavaLambdas;
import app.cruddur.infra.events.EventCache;
import app.cruddur.infra.Nag;
import app.cruddur.infra.table.MessagesTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.lambda.CfnEventSourceMappingProps;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.CfnRuleProps;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The list-entry projection on AWS Lambda: the table's stream feeds the service's
 * {@code StreamLambdaHandler}, which moves both members' list entries for each new message.
 *
 * <p>What it sees is filtered ({@link #FILTER}, {@link #CHANGE_FILTER}): only a message's INSERT, or its MODIFY by an edit or a delete, so that its own row
 * writes, the other items and TTL deletions never invoke it. A record it cannot read is logged and
 * counted by the handler, never retried; a batch that still fails after its retries, or waits longer
 * than {@link #MAX_RECORD_AGE_SECONDS} (a long outage, throttling), goes with its records to the
 * failure bucket, which keeps them for {@link #FAILURE_RETENTION_DAYS} days, and each one stored puts
 * a message on the failure queue: the operator's list of batches to replay
 * ({@code bin/ddb/replay-projection}), which the alarms watch.
 *
 * <p>Everything is written out rather than taken from {@code DynamoEventSource} and
 * {@code grantStreamRead}: those grant ListStreams on {@code *} unconditionally, the SQS
 * destination's {@code grantSendMessages} adds GetQueueAttributes and GetQueueUrl, and the
 * function's default role would carry AWS managed policies. Here the role holds exactly
 * {@link Access#PROJECTOR_TABLE_ACTIONS} and friends.
 */
public final class StreamProjector extends Construct {

    public static final String HANDLER = "app.cruddur.messages.projection.lambda.StreamLambdaHandler::handleRequest";

    /**
     * 1 GB: Lambda gives CPU in proportion to memory, and a JVM's start (class loading, the SDK's
     * first request) is CPU-bound; at 1 GB the function gets most of a vCPU, which shortens cold
     * starts far more than it costs, while the handler itself needs well under 256 MB of heap.
     */
    public static final int MEMORY_MB = 1024;
    /** A batch of 100 records is a few hundred small DynamoDB calls; 60 s leaves room for a cold start and retries. */
    public static final int TIMEOUT_SECONDS = 60;
    public static final int BATCH_SIZE = 100;
    /** Waits up to 1 s to fill a batch: fewer invocations, and list entries still move within about a second. */
    public static final int BATCHING_WINDOW_SECONDS = 1;
    /**
     * Bounded retries of a batch the handler reported (a DynamoDB call failed; an unreadable record
     * is never reported): the handler is idempotent, so retrying is safe, and a batch that fails five
     * times (halved each time) goes to the failure bucket rather than holding its shard up.
     */
    public static final int RETRY_ATTEMPTS = 5;
    /**
     * A record waits in the stream for up to 12 hours (throttled, or behind a failing batch) before it
     * goes to the failure bucket; the stream itself keeps records 24 hours, and the bucket keeps them
     * as long as an outage may last and an operator needs to replay them.
     */
    public static final int MAX_RECORD_AGE_SECONDS = 12 * 3600;
    public static final int FAILURE_RETENTION_DAYS = 90;
    /**
     * What the function is invoked for: a message's INSERT (the item's key starts with
     * {@code MSG#}, the service's MessageItem.PREFIX); Lambda drops every other record before
     * invoking it.
     */
    /** The alias the stream invokes: the function's current published version (SnapStart). */
    public static final String LIVE_ALIAS = "live";

    public static final String FILTER =
            "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"pk\":{\"S\":[{\"prefix\":\"MSG#\"}]}}}}";
    /**
     * And a message's MODIFY when it was edited or deleted (it then carries {@code message_version},
     * the service's MessageItem.MESSAGE_VERSION): the list entries that show it follow it.
     */
    public static final String CHANGE_FILTER =
            "{\"eventName\":[\"MODIFY\"],\"dynamodb\":{\"NewImage\":{\"pk\":{\"S\":[{\"prefix\":\"MSG#\"}]},"
                    + "\"message_version\":{\"N\":[{\"exists\":true}]}}}}";

    private final Function function;
    private final Bucket failureBucket;
    private final Queue failureQueue;
    private final String failureRuleName;
    private final SecurityGroup securityGroup;
    private final Role role;
    private final LogGroup logGroup;

    public StreamProjector(Construct scope, String id, IVpc vpc, MessagesTable table, String jarPath,
                           Optional<String> dynamodbPrefixListId, EventCache events, String namePrefix) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String region = stack.getRegion();

        // The failed batches with their records (Lambda writes each as one object). Retained: they
        // are what an outage left undone.
        failureBucket = new Bucket(this, "FailureBucket", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-failed-batches")
                        .expiration(Duration.days(FAILURE_RETENTION_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
        // S3 tells EventBridge of each object (set on the resource itself: CDK's own switch would add
        // a custom resource, a Lambda with an AWS managed policy).
        ((CfnBucket) failureBucket.getNode().getDefaultChild())
                .addPropertyOverride("NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled", true);

        failureQueue = new Queue(this, "FailureQueue", QueueProps.builder()
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // The longest SQS keeps a message: time to replay the batch it names.
                .retentionPeriod(Duration.days(14))
                .build());
        failureRuleName = namePrefix + "-projection-failure-stored";
        String ruleArn = stack.formatArn(ArnComponents.builder()
                .service("events")
                .resource("rule")
                .resourceName(failureRuleName)
                .build());
        failureQueue.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("FailureStoredNotices")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(Access.FAILURE_QUEUE_ACTIONS)
                .resources(List.of(failureQueue.getQueueArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", ruleArn)))
                .build()));
        new CfnRule(this, "FailureStored", CfnRuleProps.builder()
                .name(failureRuleName)
                .description("A failed batch of the projection was stored: put it on the replay list")
                .eventPattern(Map.of(
                        "source", List.of("aws.s3"),
                        "detail-type", List.of("Object Created"),
                        "detail", Map.of("bucket", Map.of("name", List.of(failureBucket.getBucketName())))))
                .state("ENABLED")
                .targets(List.of(CfnRule.TargetProperty.builder()
                        .id("FailureQueue")
                        .arn(failureQueue.getQueueArn())
                        .build()))
                .build());

        logGroup = new LogGroup(this, "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .build());

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Stream projection Lambda: HTTPS to DynamoDB and the event cache only")
                .allowAllOutbound(false)
                .build());
        // The function calls DynamoDB and nothing else (logs go through Lambda itself, the stream
        // is polled by Lambda's event source mapping outside the VPC). With the region's DynamoDB
        // prefix list the egress is limited to the gateway endpoint's addresses.
        securityGroup.addEgressRule(
                dynamodbPrefixListId.map(Peer::prefixList).orElse(Peer.anyIpv4()),
                Port.tcp(443),
                "HTTPS to DynamoDB (gateway endpoint)");

        role = new Role(this, "Role", RoleProps.builder()
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Stream projection Lambda of the messages table")
                .build());
        role.addToPolicy(Access.allow(Access.PROJECTOR_TABLE_ACTIONS, table.tableArn()));
        role.addToPolicy(Access.allow(Access.PROJECTOR_INDEX_ACTIONS, table.groupIndexArn()));
        role.addToPolicy(Access.allow(Access.STREAM_READ_ACTIONS, table.streamArn()));
        role.addToPolicy(Access.allow(Access.STREAM_LIST_ACTIONS, "*"));
        role.addToPolicy(Access.tableKey(table.key().getKeyArn(), region));
        role.addToPolicy(Access.allow(Access.FAILURE_BUCKET_WRITE_ACTIONS, failureBucket.arnForObjects("*")));
        role.addToPolicy(Access.allow(Access.FAILURE_BUCKET_LIST_ACTIONS, failureBucket.getBucketArn()));
        role.addToPolicy(Access.allow(Access.LOG_WRITE_ACTIONS, logGroup.getLogGroupArn()));
        role.addToPolicy(Access.allow(Access.LAMBDA_NETWORK_INTERFACE_ACTIONS, "*"));
        // Publishing what it sees to the event cache, as its IAM-authenticated user.
        role.addToPolicy(Access.allow(Access.PROJECTOR_CACHE_ACTIONS, events.projectionConnectArns().toArray(String[]::new)));
        events.allowFrom(securityGroup, "the projection Lambda");

        function = JavaLambdas.inPrivateSubnets(this, "Moves the members' list entries for each new message on the table's stream",
                HANDLER, jarPath, MEMORY_MB, TIMEOUT_SECONDS, role, logGroup, vpc, securityGroup, Map.of(
                        "DYNAMODB_TABLE_NAME", table.tableName(),
                        "DYNAMODB_GROUP_INDEX", MessagesTable.GROUP_INDEX,
                        "REDIS_ENDPOINT", events.endpoint(),
                        "REDIS_USER", events.projectionUserId(),
                        "REDIS_CACHE_NAME", events.cacheName()), true);
        // SnapStart resumes published versions only: the stream invokes the version behind this alias,
        // which each deployment moves to the newly published one.
        Alias live = Alias.Builder.create(this, "Live").aliasName(LIVE_ALIAS).version(function.getCurrentVersion()).build();

        CfnEventSourceMapping mapping = new CfnEventSourceMapping(this, "StreamMapping",
                CfnEventSourceMappingProps.builder()
                        .functionName(live.getFunctionArn())
                        .eventSourceArn(table.streamArn())
                        .startingPosition("TRIM_HORIZON")
                        .batchSize(BATCH_SIZE)
                        .maximumBatchingWindowInSeconds(BATCHING_WINDOW_SECONDS)
                        .bisectBatchOnFunctionError(true)
                        // The handler returns batchItemFailures: only the failed records are retried.
                        .functionResponseTypes(List.of("ReportBatchItemFailures"))
                        .maximumRetryAttempts(RETRY_ATTEMPTS)
                        .maximumRecordAgeInSeconds(MAX_RECORD_AGE_SECONDS)
                        .parallelizationFactor(1)
                        .filterCriteria(CfnEventSourceMapping.FilterCriteriaProperty.builder()
                                .filters(List.of(CfnEventSourceMapping.FilterProperty.builder().pattern(FILTER).build(),
                                        CfnEventSourceMapping.FilterProperty.builder().pattern(CHANGE_FILTER).build()))
                                .build())
                        .destinationConfig(CfnEventSourceMapping.DestinationConfigProperty.builder()
                                .onFailure(CfnEventSourceMapping.OnFailureProperty.builder()
                                        .destination(failureBucket.getBucketArn())
                                        .build())
                                .build())
                        .enabled(true)
                        .build());
        // Lambda checks the role's stream permissions when it creates the mapping.
        mapping.getNode().addDependency(role);

        Nag.suppress(failureQueue, "AwsSolutions-SQS3", "This queue is itself the end of the line: the list of"
                + " failed batches stored in the failure bucket, to be replayed by hand. Nothing consumes it"
                + " automatically, so it needs no dead-letter queue of its own; the projection-failures alarms watch it");
        Nag.suppressWildcardResourceAndObjectsOf(role, "FailureBucket", "Only dynamodb:ListStreams, the"
                + " network-interface actions of a function in a VPC and X-Ray's PutTraceSegments and PutTelemetryRecords"
                + " (active tracing) are on *: ListStreams, the Describe actions and X-Ray's have"
                + " no resource type and Lambda creates the interfaces itself. s3:PutObject is on the failure bucket's"
                + " objects: Lambda names each failed batch's object itself. The other statements name the table,"
                + " index, stream, key, bucket and log group");
    }

    public Function function() {
        return function;
    }

    public Queue failureQueue() {
        return failureQueue;
    }

    public Bucket failureBucket() {
        return failureBucket;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }

    public Role role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
