package app.cruddur.infra.projection;

import app.cruddur.infra.Access;
import app.cruddur.infra.events.EventCache;
import app.cruddur.infra.Nag;
import app.cruddur.infra.network.Network;
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
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.amazon.awscdk.services.lambda.CfnEventSourceMappingProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.constructs.Construct;

/**
 * The group-row projection on AWS Lambda: the table's stream feeds the service's
 * {@code StreamLambdaHandler}, which moves both members' group rows for each new message.
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
    /** Waits up to 1 s to fill a batch: fewer invocations, and group rows still move within about a second. */
    public static final int BATCHING_WINDOW_SECONDS = 1;
    /**
     * Bounded retries: the handler is idempotent, so retrying is safe, but a record that fails five
     * times (with the failing batch halved each time) is poison and would block its shard; it goes
     * to the failure queue instead.
     */
    public static final int RETRY_ATTEMPTS = 5;
    /** Records older than an hour are skipped to the failure queue: a group row that late is better rebuilt. */
    public static final int MAX_RECORD_AGE_SECONDS = 3600;

    private final Function function;
    private final Queue failureQueue;
    private final SecurityGroup securityGroup;
    private final Role role;
    private final LogGroup logGroup;

    public StreamProjector(Construct scope, String id, IVpc vpc, MessagesTable table, String jarPath,
                           Optional<String> dynamodbPrefixListId, EventCache events) {
        super(scope, id);
        String region = Stack.of(this).getRegion();

        failureQueue = new Queue(this, "FailureQueue", QueueProps.builder()
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // The longest SQS keeps a message: time to look at a poison record and replay it.
                .retentionPeriod(Duration.days(14))
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
        role.addToPolicy(Access.allow(Access.FAILURE_QUEUE_ACTIONS, failureQueue.getQueueArn()));
        role.addToPolicy(Access.allow(Access.LOG_WRITE_ACTIONS, logGroup.getLogGroupArn()));
        role.addToPolicy(Access.allow(Access.LAMBDA_NETWORK_INTERFACE_ACTIONS, "*"));
        // Publishing what it sees to the event cache, as its IAM-authenticated user.
        role.addToPolicy(Access.allow(Access.PROJECTOR_CACHE_ACTIONS, events.projectionConnectArns().toArray(String[]::new)));
        events.allowFrom(securityGroup, "the projection Lambda");

        function = new Function(this, "Function", FunctionProps.builder()
                .description("Moves the members' group rows for each new message on the table's stream")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.X86_64)
                .handler(HANDLER)
                .code(Code.fromAsset(jarPath))
                .memorySize(MEMORY_MB)
                .timeout(Duration.seconds(TIMEOUT_SECONDS))
                .role(role)
                .logGroup(logGroup)
                .vpc(vpc)
                .vpcSubnets(Network.PRIVATE)
                .securityGroups(List.of(securityGroup))
                .environment(Map.of(
                        "DYNAMODB_TABLE_NAME", table.tableName(),
                        "DYNAMODB_GROUP_INDEX", MessagesTable.GROUP_INDEX,
                        "REDIS_ENDPOINT", events.endpoint(),
                        "REDIS_USER", events.projectionUserId(),
                        "REDIS_CACHE_NAME", events.cacheName()))
                .build());

        CfnEventSourceMapping mapping = new CfnEventSourceMapping(this, "StreamMapping",
                CfnEventSourceMappingProps.builder()
                        .functionName(function.getFunctionName())
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
                        .destinationConfig(CfnEventSourceMapping.DestinationConfigProperty.builder()
                                .onFailure(CfnEventSourceMapping.OnFailureProperty.builder()
                                        .destination(failureQueue.getQueueArn())
                                        .build())
                                .build())
                        .enabled(true)
                        .build());
        // Lambda checks the role's stream permissions when it creates the mapping.
        mapping.getNode().addDependency(role);

        Nag.suppress(failureQueue, "AwsSolutions-SQS3", "This queue is itself the end of the line: the stream"
                + " mapping's on-failure destination for records the projection gave up on. Nothing consumes it"
                + " automatically (they are read and replayed by hand), so it needs no dead-letter queue of its own;"
                + " the projection-failures alarm watches it");
        Nag.suppress(function, "AwsSolutions-L1", "Java 21, a supported LTS runtime, runs the service's shaded jar"
                + " (built for Java 17); moving to Java 25 is an upgrade of the projection to verify against a"
                + " deployed function, which synthesis cannot do");
        Nag.suppressWildcardResource(role, "Only dynamodb:ListStreams and the network-interface actions of a"
                + " function in a VPC are on *: ListStreams and the Describe actions have no resource type and"
                + " Lambda creates the interfaces itself; the other statements name the table, index, stream, key,"
                + " queue and log group");
    }

    public Function function() {
        return function;
    }

    public Queue failureQueue() {
        return failureQueue;
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
