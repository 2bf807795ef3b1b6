package app.cruddur.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;

/**
 * Every IAM action this stack grants, in one place. The constructs build their policy statements
 * from these lists; the tests state the expected sets again, literally, so that widening one of
 * them here fails a test instead of slipping through.
 *
 * <p>Why these and no more: each list names exactly the API calls the caller makes. The service's
 * tests record every DynamoDB request its code sends, by the part that sends it (its
 * {@code table/Caller}), and RecordedCallsTest fails when a list here misses a call or holds one
 * that no part makes. IAM authorizes TransactWriteItems per contained action, so a transaction of
 * Puts needs only {@code dynamodb:PutItem}, and one of Deletes and Puts {@code DeleteItem} and
 * {@code PutItem}.
 */
public final class Access {

    private Access() {
    }

    /**
     * The service's calls on the table: membership and idempotency reads, pages, replies (each
     * moves both list entries before it answers: a transaction of Deletes and Puts), unblocking (a
     * DeleteItem), readiness.
     */
    public static final List<String> SERVICE_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
            "dynamodb:DescribeTable");

    /** The service's calls on the group index. */
    public static final List<String> SERVICE_INDEX_ACTIONS = List.of("dynamodb:Query");

    /**
     * The service's reads through the DAX cluster, when it is on: the conversation list and the
     * message pages, both Queries on the table (DaxReads in the service). Its GetItems are
     * strongly consistent and go to DynamoDB, as do all writes.
     */
    public static final List<String> SERVICE_DAX_ACTIONS = List.of("dax:Query");

    /**
     * The projection Lambda's calls on the table (its transactions hold only Deletes and Puts; its
     * Queries count a member's unread messages, pattern N).
     */
    public static final List<String> PROJECTOR_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem");

    /** The projection Lambda's calls on the group index. */
    public static final List<String> PROJECTOR_INDEX_ACTIONS = List.of("dynamodb:Query");

    /** What the event source mapping needs on the stream itself (it polls as the function's role). */
    public static final List<String> STREAM_READ_ACTIONS = List.of(
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator");

    /**
     * ListStreams, granted on {@code *}: the Service Authorization Reference lists no resource type
     * for it (it lists the streams of the account and endpoint), so a statement scoped to a stream
     * ARN would never match it.
     */
    public static final List<String> STREAM_LIST_ACTIONS = List.of("dynamodb:ListStreams");

    /**
     * The projection Lambda signs in to the event cache as its IAM-authenticated user: Connect on
     * the cache and on that user, nothing else (what it may do inside is the user's ACL).
     */
    public static final List<String> PROJECTOR_CACHE_ACTIONS = List.of("elasticache:Connect");

    /**
     * The DAX cluster's own calls on the table: it learns the key schema with DescribeTable and
     * fills its query cache with Query. Read-only, and only what the service sends through DAX:
     * no GetItem, BatchGetItem or Scan, nothing on the index (only the projection queries it, and
     * not through DAX), and no writes (they go straight to DynamoDB).
     */
    public static final List<String> DAX_TABLE_ACTIONS = List.of(
            "dynamodb:DescribeTable",
            "dynamodb:Query");

    /**
     * The table's customer-managed key, for principals reading or writing the table or its stream.
     * DynamoDB decrypts the table key with the caller's permission and caches it; it does not call
     * KMS per item, so neither Encrypt nor GenerateDataKey is needed. Always granted with the
     * condition {@code kms:ViaService = dynamodb.<region>.amazonaws.com}: usable only through DynamoDB.
     */
    public static final List<String> TABLE_KEY_ACTIONS = List.of("kms:Decrypt", "kms:DescribeKey");

    /**
     * The network interfaces of a Lambda function in a VPC (what AWSLambdaVPCAccessExecutionRole
     * holds). Lambda requires {@code *} here: DescribeNetworkInterfaces and DescribeSubnets have no
     * resource type, and the interfaces do not exist before Lambda creates them.
     */
    public static final List<String> LAMBDA_NETWORK_INTERFACE_ACTIONS = List.of(
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses");

    /**
     * The collector beside the service writing its metrics (EMF) to the stack's metrics log group:
     * a stream per task, then its events. (DescribeLogStreams is how it finds a stream it made.)
     */
    public static final List<String> METRICS_LOG_ACTIONS = List.of("logs:CreateLogStream", "logs:PutLogEvents",
            "logs:DescribeLogStreams");

    /**
     * Sending spans to X-Ray: the collector beside the service, and Lambda's active tracing. X-Ray's
     * actions have no resource type: {@code *}.
     */
    public static final List<String> TRACE_WRITE_ACTIONS = List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");

    /** EventBridge Scheduler forcing a new deployment of the service, so that every task is replaced. */
    public static final List<String> REPLACE_TASKS_ACTIONS = List.of("ecs:UpdateService");

    /** Writing to an existing log group (created by the stack, so no CreateLogGroup). */
    public static final List<String> LOG_WRITE_ACTIONS = List.of("logs:CreateLogStream", "logs:PutLogEvents");

    /**
     * EventBridge putting a notice of each stored failed batch on the failure queue (SQS-managed
     * encryption: no KMS needed), granted in the queue's policy.
     */
    public static final List<String> FAILURE_QUEUE_ACTIONS = List.of("sqs:SendMessage");

    /**
     * The event source mapping writing a failed batch, with its records, to the failure bucket as the
     * function's role (what Lambda requires of an S3 on-failure destination: PutObject on the objects,
     * ListBucket on the bucket).
     */
    public static final List<String> FAILURE_BUCKET_WRITE_ACTIONS = List.of("s3:PutObject");
    public static final List<String> FAILURE_BUCKET_LIST_ACTIONS = List.of("s3:ListBucket");

    /**
     * CloudWatch publishing alarm notifications to the alarm topic, granted in the topic's own
     * policy (a resource policy: the topic has one, so the default policy that let the account's
     * services publish no longer applies).
     */
    public static final List<String> ALARM_PUBLISH_ACTIONS = List.of("sns:Publish");

    /**
     * CloudWatch using the alarm topic's key, granted in that key's policy: SNS encrypts each
     * notification under a data key it generates with the publisher's permission, and decrypts it
     * for delivery the same way. The AWS managed key of SNS ({@code alias/aws/sns}) cannot be used,
     * as its policy cannot name CloudWatch.
     */
    public static final List<String> ALARM_TOPIC_KEY_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

    /**
     * AWS delivering logs into the log bucket (load balancer access logs, VPC flow logs, S3 server
     * access logs), granted in that bucket's policy on each delivery's own prefix.
     */
    public static final List<String> LOG_DELIVERY_WRITE_ACTIONS = List.of("s3:PutObject");

    /** The checks of the log delivery service before it delivers flow logs into the bucket. */
    public static final List<String> LOG_DELIVERY_CHECK_ACTIONS = List.of("s3:GetBucketAcl", "s3:ListBucket");

    /**
     * What passes the VPC's S3 gateway endpoint: the ECS agent downloading the image's layers, which
     * ECR keeps in its own bucket of the region ({@code prod-<region>-starport-layer-bucket}).
     */
    public static final List<String> IMAGE_LAYER_READ_ACTIONS = List.of("s3:GetObject");

    /**
     * The service on the key table: a conversation's key by key, a page's keys at once, a new key
     * or an erasure's tombstone (PutItem). Never Scan, Query or DeleteItem.
     */
    public static final List<String> KEY_TABLE_ACTIONS = List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem");

    /**
     * The service on the texts' KMS key: Encrypt once, when the first instance makes the wrapping
     * key; Decrypt at each start. Always with the wrapping key's encryption context.
     */
    public static final List<String> TEXT_KEY_ACTIONS = List.of("kms:Decrypt", "kms:Encrypt");

    /** The ECS agent reading the database credentials for the container's secrets. */
    public static final List<String> SECRET_READ_ACTIONS = List.of("secretsmanager:GetSecretValue");

    /**
     * What may pass through the VPC's DynamoDB gateway endpoint: the union of the calls made from
     * inside the VPC (the service, the projection Lambda and the DAX cluster), on this stack's two
     * tables only.
     */
    public static List<String> endpointActions() {
        return union(List.of(SERVICE_TABLE_ACTIONS, SERVICE_INDEX_ACTIONS, PROJECTOR_TABLE_ACTIONS,
                PROJECTOR_INDEX_ACTIONS, DAX_TABLE_ACTIONS, KEY_TABLE_ACTIONS));
    }

    /** An Allow statement of {@code actions} on {@code resources}. */
    public static PolicyStatement allow(List<String> actions, String... resources) {
        return new PolicyStatement(PolicyStatementProps.builder()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resources))
                .build());
    }

    /** {@link #TABLE_KEY_ACTIONS} on the table's key, usable only through DynamoDB in {@code region}. */
    public static PolicyStatement tableKey(String keyArn, String region) {
        return new PolicyStatement(PolicyStatementProps.builder()
                .effect(Effect.ALLOW)
                .actions(TABLE_KEY_ACTIONS)
                .resources(List.of(keyArn))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "dynamodb." + region + ".amazonaws.com")))
                .build());
    }

    private static List<String> union(List<List<String>> lists) {
        return lists.stream().flatMap(List::stream).distinct().sorted().toList();
    }
}
