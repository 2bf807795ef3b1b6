package app.cruddur.infra.monitoring;

import app.cruddur.infra.Access;
import app.cruddur.infra.StackSettings;
import app.cruddur.infra.database.Database;
import app.cruddur.infra.database.DatabaseClass;
import app.cruddur.infra.dax.Dax;
import app.cruddur.infra.events.EventCache;
import app.cruddur.infra.firewall.Firewall;
import app.cruddur.infra.projection.StreamProjector;
import app.cruddur.infra.service.MessagesService;
import app.cruddur.infra.table.MessagesTable;
import app.cruddur.infra.users.SignUpTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.Stats;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Operation;
import software.amazon.awscdk.services.dynamodb.SystemErrorsForOperationsMetricOptions;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.logs.MetricFilterProps;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.TopicProps;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The operational alarms and the topic they notify: the projection falling behind or giving up,
 * the service's tasks and responses, the table, and the database and DAX cluster when the stack
 * creates them. Every alarm notifies the topic when it fires and again when it clears.
 *
 * <p>The topic is encrypted with a key of its own: CloudWatch can publish to an encrypted topic
 * only if the key's policy lets it use the key, and the policy of SNS's AWS managed key
 * ({@code alias/aws/sns}) cannot be changed. Both the key and the topic admit CloudWatch only for
 * this account's alarms named with this stack's prefix.
 */
public final class Alarms extends Construct {

    /** The projection is falling behind when its oldest record waits longer than this (milliseconds). */
    public static final int ITERATOR_AGE_MS = 60_000;
    /**
     * 5XX responses from the tasks in five minutes: a few a minute. The service answers 503 when
     * the table or the database is unreachable, so a dependency outage crosses this at once, while
     * a single failing request does not.
     */
    public static final int TARGET_5XX_PER_5_MINUTES = 25;
    /**
     * Memory of the fullest task. A JVM's heap is bounded, so a task near its memory limit is
     * growing outside the heap (threads, direct buffers) and is close to being stopped by the
     * out-of-memory killer.
     */
    public static final int SERVICE_MEMORY_PERCENT = 85;
    /**
     * Average CPU of the tasks. Scaling aims at 60 %; an average this high for a quarter of an hour
     * means scaling has reached maxTasks or cannot keep up.
     */
    public static final int SERVICE_CPU_PERCENT = 90;
    /** Free storage of the database: 2 GiB, in bytes. */
    public static final long DATABASE_FREE_STORAGE_BYTES = 2L * 1024 * 1024 * 1024;
    public static final int DATABASE_CPU_PERCENT = 80;
    /**
     * The share of the database class's {@code max_connections} (as {@link DatabaseClass} reckons it)
     * above which the connections alarm fires: new connections start failing at the limit (three of
     * them are reserved for superusers).
     */
    public static final int DATABASE_CONNECTIONS_PERCENT = 80;
    public static final int DAX_CPU_PERCENT = 70;
    /**
     * The table operations whose system errors are watched: those the service and the projection
     * call (a transaction counts as TransactWriteItems) and the stream reads of the event source
     * mapping. SystemErrors is published per operation only; CloudWatch takes at most 10 metrics
     * in one alarm.
     */
    public static final List<Operation> WATCHED_OPERATIONS = List.of(Operation.GET_ITEM, Operation.QUERY,
            Operation.PUT_ITEM, Operation.DELETE_ITEM, Operation.TRANSACT_WRITE_ITEMS, Operation.GET_RECORDS);

    /** The WARN line of a task that lost Redis (app.cruddur.messages.redis.RedisPubSub), which the alarm counts. */
    /**
     * The service's own service levels, as the collector beside it names them in CloudWatch
     * (docker/otel-collector.yaml; namespace {@link #METRIC_NAMESPACE}, dimension {@code service}):
     * the recent maximum of the time from a message to its event on a member's open stream, in seconds.
     */
    public static final String DELIVERY_LATENCY_MAX_METRIC = "cruddur_events_delivery_latency_seconds_max";
    /** A message on an open stream later than this (seconds) for 5 minutes in a row is an alarm. */
    public static final int DELIVERY_LATENCY_SECONDS = 5;
    /** The answers the service could not give (5xx), dimension {@code part}: what failed. */
    public static final String FAILURES_METRIC = "cruddur_http_failures";
    /** The parts a failure names (ApiException.failedPart): a dependency, or the service itself. */
    public static final List<String> FAILED_PARTS = List.of("dynamodb", "postgresql", "redis", "service");
    /** Failed answers of one cause in 5 minutes: more than a few a minute is an outage of that part. */
    public static final int FAILURES_PER_5_MINUTES = 10;
    /** The rate limits' refusals (429), dimension {@code limit}: on the dashboard, no alarm (refusing is their job). */
    public static final String REFUSALS_METRIC = "cruddur_rate_limits_refused";
    /** The dimension the collector gives every metric of the service. */
    public static final Map<String, String> SERVICE_DIMENSION = Map.of("service", "cruddur-messages");

    public static final String EVENT_FAN_OUT_LOST = "Event fan-out lost Redis";
    /** The WARN line of a task whose rate limits started failing open (app.cruddur.messages.limits.RateLimiter). */
    public static final String RATE_LIMITS_FAILING_OPEN = "Rate limits failing open";
    /** The namespace of the metrics the stack derives from the service's log, and of those the service and the Lambda send. */
    public static final String METRIC_NAMESPACE = "CruddurMessages";
    /** The Lambda's count of stream records it could not read (EMF, no dimension: projection/lambda in the service). */
    public static final String UNREADABLE_RECORDS_METRIC = "UnreadableStreamRecords";
    /** A failed batch waiting in the failure bucket longer than this has been forgotten: 1 hour, in seconds. */
    public static final int FAILURE_AGE_SECONDS = 3600;
    /** The load balancer's own 5XX answers in five minutes (no healthy target, a target that reset), like the tasks'. */
    public static final int ELB_5XX_PER_5_MINUTES = 25;
    /** The event cache's data against its usage limit: the share at which the alarm fires. */
    public static final int EVENT_CACHE_DATA_PERCENT = 80;
    /** Requests the firewall blocked in five minutes, all rules together, before it counts as an attack. */
    public static final int FIREWALL_BLOCKED_PER_5_MINUTES = 1000;

    private static final Duration ONE_MINUTE = Duration.minutes(1);
    private static final Duration FIVE_MINUTES = Duration.minutes(5);

    /** Fires when {@code datapoints} of the last {@code periods} periods breach. */
    private record Window(int datapoints, int periods) {
    }

    private final String prefix;
    private final String topicArn;
    private final Topic topic;
    private final Key key;
    private final SnsAction notify;
    private final List<Alarm> alarms = new ArrayList<>();
    private final List<Alarm> deploymentAlarms = new ArrayList<>();

    public Alarms(Construct scope, String id, StackSettings settings, MessagesTable table, StreamProjector projector,
                  MessagesService service, Optional<Database> database, Optional<Dax> dax, EventCache events,
                  Firewall firewall, Optional<SignUpTrigger> signUp) {
        super(scope, id);
        Stack stack = Stack.of(this);
        prefix = namePrefix(settings.tableName());

        // Named, so that the key's policy can name the topic (a Ref would be a cycle: the topic
        // refers to the key).
        String topicName = prefix + "-alarms";
        topicArn = stack.formatArn(ArnComponents.builder()
                .service("sns")
                .resource(topicName)
                .build());
        String alarmArns = stack.formatArn(ArnComponents.builder()
                .service("cloudwatch")
                .resource("alarm")
                .resourceName(prefix + "-*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        // CloudWatch acts for these alarms only: no other account's, and none of this account's
        // outside the stack's prefix.
        Map<String, Object> fromTheseAlarms = Map.of(
                "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                "ArnLike", Map.of("aws:SourceArn", alarmArns));
        ServicePrincipal cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");

        key = new Key(this, "Key", KeyProps.builder()
                .description("Encrypts the notifications of the " + topicName + " topic")
                .alias("alias/" + topicName)
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                // Nothing outlives the topic under this key (SNS keeps no messages once delivered):
                // deleted with the stack, after KMS's waiting period.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        key.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("CloudWatchAlarmsPublishToTheTopic")
                .effect(Effect.ALLOW)
                .principals(List.of(cloudWatch))
                .actions(Access.ALARM_TOPIC_KEY_ACTIONS)
                // In a key policy the resource is the key itself.
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of(
                                "aws:SourceAccount", stack.getAccount(),
                                // SNS names the topic in the encryption context of its data keys.
                                "kms:EncryptionContext:aws:sns:topicArn", topicArn),
                        "ArnLike", Map.of("aws:SourceArn", alarmArns)))
                .build()));

        topic = new Topic(this, "Topic", TopicProps.builder()
                .topicName(topicName)
                .displayName("Cruddur Messages alarms")
                .masterKey(key)
                // A Deny on sns:Publish without TLS (aws:SecureTransport = false), in the topic policy.
                .enforceSsl(true)
                .build());
        topic.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("CloudWatchAlarmsPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(cloudWatch))
                .actions(Access.ALARM_PUBLISH_ACTIONS)
                .resources(List.of(topic.getTopicArn()))
                .conditions(fromTheseAlarms)
                .build()));
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        notify = new SnsAction(topic);

        projectionAlarms(projector);
        serviceAlarms(service, settings.minTasks());
        tableAlarms(table);
        database.ifPresent(d -> databaseAlarms(d.instance(), settings.databaseClass()));
        dax.ifPresent(d -> daxAlarms(d.cluster().getRef()));
        eventAlarms(events, service);
        serviceLevelAlarms();
        firewallAlarms(firewall);
        // Missing data: no sign-up, no error.
        signUp.ifPresent(trigger -> onAny("SignUpErrors", "sign-up-errors",
                "The sign-up trigger failed in the last 5 minutes: someone confirmed their sign-up without getting"
                        + " their users row (a handle another user has, refused attributes, or the database or Secrets"
                        + " Manager unreachable), and the service answers them 403 until they have one. Its log names"
                        + " each one's sub and the outcome (docs/operations.md).",
                trigger.function().metricErrors(options(Stats.SUM, FIVE_MINUTES))));
    }

    private void firewallAlarms(Firewall firewall) {
        // Missing data, for both: WAF publishes a rule's blocks only when it blocks.
        onAny("FirewallRateLimited", "firewall-rate-limited",
                "The web firewall blocked a client address that sent more than its rate of API requests in the last"
                        + " 5 minutes (a flood, or a client in a loop). Its log (" + firewall.logGroupName() + ") names"
                        + " the address; the service's own limits meanwhile hold per user.",
                firewallMetric(firewall, Firewall.RATE_RULE));
        alarm("FirewallBlocked", "firewall-blocked",
                "The web firewall blocked more than " + FIREWALL_BLOCKED_PER_5_MINUTES + " requests in 5 minutes: an"
                        + " attack, or a rule blocking real users. Its log says which rule and what it matched.",
                firewallMetric(firewall, "ALL"),
                ComparisonOperator.GREATER_THAN_THRESHOLD, FIREWALL_BLOCKED_PER_5_MINUTES, new Window(1, 1),
                TreatMissingData.NOT_BREACHING);
    }

    private static Metric firewallMetric(Firewall firewall, String rule) {
        return metric("AWS/WAFV2", "BlockedRequests",
                Map.of("WebACL", firewall.name(), "Region", Stack.of(firewall).getRegion(), "Rule", rule), Stats.SUM, FIVE_MINUTES);
    }

    private void eventAlarms(EventCache events, MessagesService service) {
        // The service logs this line once per loss, on the task that lost Redis (redis/RedisPubSub).
        MetricFilter lost = new MetricFilter(this, "EventFanOutLostFilter", MetricFilterProps.builder()
                .logGroup(service.logGroup())
                .filterPattern(FilterPattern.literal("\"" + EVENT_FAN_OUT_LOST + "\""))
                .metricNamespace(METRIC_NAMESPACE)
                .metricName("EventFanOutLost")
                .metricValue("1")
                .defaultValue(0)
                .build());
        // Missing data: the filter publishes 0 while lines come and nothing when the log is quiet.
        onAny("EventFanOutLost", "event-fan-out-lost",
                "A task lost the event cache (Valkey) in the last 5 minutes: its event streams ended and new ones"
                        + " are refused until it reconnects by itself (REST is unaffected). Look at the cache's"
                        + " events and the tasks' log.",
                lost.metric(options(Stats.SUM, FIVE_MINUTES)));
        // Logged once when a task's limits start letting requests through unlimited (limits/RateLimiter).
        MetricFilter failingOpen = new MetricFilter(this, "RateLimitsFailingOpenFilter", MetricFilterProps.builder()
                .logGroup(service.logGroup())
                .filterPattern(FilterPattern.literal("\"" + RATE_LIMITS_FAILING_OPEN + "\""))
                .metricNamespace(METRIC_NAMESPACE)
                .metricName("RateLimitsFailingOpen")
                .metricValue("1")
                .defaultValue(0)
                .build());
        onAny("RateLimitsFailingOpen", "rate-limits-failing-open",
                "A task's rate limits could not reach the event cache (Valkey) in the last 5 minutes and let requests"
                        + " through unlimited (fail open) until it answered again: abuse was not limited meanwhile."
                        + " Look at the cache and at readiness' Rate limits (Redis) check.",
                failingOpen.metric(options(Stats.SUM, FIVE_MINUTES)));
        // Missing data: the cache publishes its metrics every minute while it exists.
        onAny("EventCacheThrottled", "event-cache-throttled",
                "The event cache throttled commands in the last 5 minutes: its usage limits (" + EventCache.MAX_ECPU_PER_SECOND
                        + " ECPU/s) are too low for the load, and events are delayed or lost. Raise them in EventCache.",
                cacheMetric(events, "ThrottledCmds", Stats.SUM));
        long dataLimit = (long) EventCache.MAX_DATA_GB * 1024 * 1024 * 1024 * EVENT_CACHE_DATA_PERCENT / 100;
        alarm("EventCacheData", "event-cache-data",
                "The event cache holds more than " + EVENT_CACHE_DATA_PERCENT + " % of its " + EventCache.MAX_DATA_GB
                        + " GB limit: tickets and publish-once marks live seconds to minutes, so something keeps"
                        + " keys it should not. At the limit the cache refuses writes (new streams, limits, publishing).",
                cacheMetric(events, "BytesUsedForCache", Stats.MAXIMUM),
                ComparisonOperator.GREATER_THAN_THRESHOLD, dataLimit, new Window(3, 3), TreatMissingData.NOT_BREACHING);
        onAny("EventCacheAuthenticationFailures", "event-cache-authentication-failures",
                "Connections to the event cache failed to sign in during the last 5 minutes: a task with a stale"
                        + " password (rotated without a deployment), the Lambda's IAM token refused, or someone"
                        + " guessing. The tasks' and the Lambda's logs say which.",
                cacheMetric(events, "AuthenticationFailures", Stats.SUM));
    }

    private static Metric cacheMetric(EventCache events, String name, String statistic) {
        return metric("AWS/ElastiCache", name, Map.of("clusterId", events.cacheName()), statistic, FIVE_MINUTES);
    }

    private void projectionAlarms(StreamProjector projector) {
        // Missing data: SQS stops publishing the metrics of a queue that has been empty and idle
        // for hours; no data means no message, and a message keeps the queue's metrics coming.
        onAny("ProjectionFailures", "projection-failures",
                "A batch the projection gave up on is stored in the failure bucket, and its notice is on the failure"
                        + " queue: members' conversation lists are stale. Fix the cause, replay the batch"
                        + " (bin/ddb/replay-projection), delete the notice; the alarm clears once the queue is empty.",
                projector.failureQueue().metricApproximateNumberOfMessagesVisible(
                        options(Stats.MAXIMUM, FIVE_MINUTES)));
        alarm("ProjectionFailureAge", "projection-failure-age",
                "A failed batch of the projection has waited more than an hour to be replayed (the oldest notice on"
                        + " the failure queue). The bucket keeps it " + StreamProjector.FAILURE_RETENTION_DAYS
                        + " days, the queue's notice 14.",
                projector.failureQueue().metricApproximateAgeOfOldestMessage(options(Stats.MAXIMUM, FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_THRESHOLD, FAILURE_AGE_SECONDS, new Window(1, 1),
                TreatMissingData.NOT_BREACHING);
        // Missing data: Lambda publishes these only when they happen.
        onAny("ProjectionFailureDelivery", "projection-failure-delivery",
                "Lambda could not store a failed batch in the failure bucket: its records are lost to the"
                        + " projection. Check the function role's S3 permissions and the bucket.",
                projector.function().metric("DestinationDeliveryFailures", options(Stats.SUM, FIVE_MINUTES)));
        onAny("ProjectionThrottles", "projection-throttles",
                "The projection function was throttled in the last 5 minutes (the account's concurrency is used up):"
                        + " its records wait, then go to the failure bucket after "
                        + StreamProjector.MAX_RECORD_AGE_SECONDS / 3600 + " hours. Raise the account's Lambda"
                        + " concurrency quota or find what uses it.",
                projector.function().metricThrottles(options(Stats.SUM, FIVE_MINUTES)));
        onAny("ProjectionUnreadableRecords", "projection-unreadable-records",
                "The projection met message items it cannot read (written by a broken tool?): they are skipped, so"
                        + " their conversation lists may not show them. The function's log names each item's key;"
                        + " fix the item and project it again (bin/ddb/replay-projection --message).",
                metric(METRIC_NAMESPACE, UNREADABLE_RECORDS_METRIC, Map.of(), Stats.SUM, FIVE_MINUTES));
        // Missing data: IteratorAge is published only while the function processes batches, so
        // a quiet stream has none; the errors alarm and the failure queue cover a stopped function.
        alarm("ProjectionIteratorAge", "projection-iterator-age",
                "The projection is more than 60 s behind the table's stream for 5 minutes: conversation lists"
                        + " lag. Look at the function's errors, duration and throttles.",
                projector.function().metric("IteratorAge", options(Stats.MAXIMUM, ONE_MINUTE)),
                ComparisonOperator.GREATER_THAN_THRESHOLD, ITERATOR_AGE_MS, new Window(5, 5),
                TreatMissingData.NOT_BREACHING);
        // Missing data: no invocation, no error.
        onAny("ProjectionErrors", "projection-errors",
                "The projection function failed (an exception or a timeout) in the last 5 minutes; its batch"
                        + " is retried, then stored in the failure bucket. Read the function's log.",
                projector.function().metricErrors(options(Stats.SUM, FIVE_MINUTES)));
    }

    private void serviceAlarms(MessagesService service, int minTasks) {
        String loadBalancer = service.loadBalancer().getLoadBalancerFullName();
        String targetGroup = service.targetGroup().getTargetGroupFullName();
        // Missing data: the host counts come with every health check round, so none means no
        // unhealthy target reported.
        deploymentAlarms.add(alarm("UnhealthyTasks", "unhealthy-tasks",
                "A task has failed the load balancer's readiness check (/q/health/ready) for 5 minutes: its"
                        + " table or database is unreachable from it, or it is stuck. Read its log and the"
                        + " health check's reason.",
                targetGroupMetric("UnHealthyHostCount", loadBalancer, targetGroup, Stats.MAXIMUM, ONE_MINUTE),
                ComparisonOperator.GREATER_THAN_THRESHOLD, 0, new Window(5, 5), TreatMissingData.NOT_BREACHING));
        // Missing data is breaching: no count at all means the load balancer sees no target group
        // with targets, which is as bad as no healthy task.
        alarm("TooFewHealthyTasks", "too-few-healthy-tasks",
                "Fewer healthy tasks than minTasks for 5 minutes: the service runs without its spare capacity,"
                        + " or not at all. Look at the ECS service's events and stopped tasks.",
                targetGroupMetric("HealthyHostCount", loadBalancer, targetGroup, Stats.MINIMUM, ONE_MINUTE),
                ComparisonOperator.LESS_THAN_THRESHOLD, minTasks, new Window(5, 5), TreatMissingData.BREACHING);
        // Missing data: the load balancer publishes the count only when there are such responses.
        deploymentAlarms.add(alarm("Target5xx", "target-5xx",
                "More than " + TARGET_5XX_PER_5_MINUTES + " 5XX responses from the tasks in 5 minutes. 503s mean"
                        + " a dependency (table, database, Cognito) is down; read the tasks' log.",
                targetGroupMetric("HTTPCode_Target_5XX_Count", loadBalancer, targetGroup, Stats.SUM,
                        FIVE_MINUTES),
                ComparisonOperator.GREATER_THAN_THRESHOLD, TARGET_5XX_PER_5_MINUTES, new Window(1, 1),
                TreatMissingData.NOT_BREACHING));
        // With no healthy target, or one that resets connections, the load balancer answers 5XX itself,
        // which the tasks' count never sees. Missing data: published only when there are such answers.
        deploymentAlarms.add(alarm("Elb5xx", "elb-5xx",
                "The load balancer answered more than " + ELB_5XX_PER_5_MINUTES + " requests with its own 5XX in 5"
                        + " minutes (503: no healthy task; 502: a task reset the connection). Look at the target"
                        + " health and the ECS service's events.",
                metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", Map.of("LoadBalancer", loadBalancer), Stats.SUM,
                        FIVE_MINUTES),
                ComparisonOperator.GREATER_THAN_THRESHOLD, ELB_5XX_PER_5_MINUTES, new Window(1, 1),
                TreatMissingData.NOT_BREACHING));
        // Missing data: no task is reporting, which the healthy-task alarm reports.
        alarm("ServiceMemory", "service-memory",
                "A task has used more than " + SERVICE_MEMORY_PERCENT + " % of its memory for 10 minutes and is"
                        + " close to being killed. Look for a leak (heap dump); raise taskMemoryMiB if the load"
                        + " needs it.",
                service.service().metricMemoryUtilization(options(Stats.MAXIMUM, ONE_MINUTE)),
                ComparisonOperator.GREATER_THAN_THRESHOLD, SERVICE_MEMORY_PERCENT, new Window(10, 10),
                TreatMissingData.NOT_BREACHING);
        // Missing data: as for memory.
        alarm("ServiceCpu", "service-cpu",
                "The tasks' average CPU has been above " + SERVICE_CPU_PERCENT + " % for 15 minutes although"
                        + " scaling aims at 60 %: scaling is at maxTasks or cannot keep up. Raise maxTasks or"
                        + " taskCpu.",
                service.service().metricCpuUtilization(options(Stats.AVERAGE, FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_THRESHOLD, SERVICE_CPU_PERCENT, new Window(3, 3),
                TreatMissingData.NOT_BREACHING);
    }

    /** The service's own service levels (its metrics through the collector): delivery latency, failures by cause. */
    private void serviceLevelAlarms() {
        // Missing data: no message delivered, nothing late.
        alarm("DeliveryLatency", "delivery-latency",
                "Messages have reached open event streams more than " + DELIVERY_LATENCY_SECONDS + " s after they were"
                        + " sent, every minute for 5 minutes. Look at the Redis fan-out (event cache metrics, the"
                        + " 'Event fan-out lost Redis' alarm) and at one late message's trace (docs/operations.md).",
                metric(METRIC_NAMESPACE, DELIVERY_LATENCY_MAX_METRIC, SERVICE_DIMENSION, Stats.MAXIMUM, ONE_MINUTE),
                ComparisonOperator.GREATER_THAN_THRESHOLD, DELIVERY_LATENCY_SECONDS, new Window(5, 5),
                TreatMissingData.NOT_BREACHING);
        // One alarm per cause, so that the alarm names what failed. Missing data: nothing failed.
        for (String part : FAILED_PARTS) {
            String named = part.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + part.substring(1);
            alarm("Failures" + named, "failures-" + part,
                    "More than " + FAILURES_PER_5_MINUTES + " answers in 5 minutes were 5xx because " + ("service".equals(part)
                            ? "of the service itself (500: read the log for 'Request failed (error id')"
                            : part + " was unreachable or silent (503 dependency_unavailable or events_unavailable)")
                            + ". The failed requests' traces show the call that failed.",
                    metric(METRIC_NAMESPACE, FAILURES_METRIC, Map.of("service", SERVICE_DIMENSION.get("service"), "part", part),
                            Stats.SUM, FIVE_MINUTES),
                    ComparisonOperator.GREATER_THAN_THRESHOLD, FAILURES_PER_5_MINUTES, new Window(1, 1),
                    TreatMissingData.NOT_BREACHING);
        }
    }

    private void tableAlarms(MessagesTable table) {
        // Missing data, for all three: DynamoDB publishes these only when there is something to count.
        onAny("TableReadThrottles", "table-read-throttles",
                "DynamoDB throttled reads of the table in the last 5 minutes (on demand: a burst above twice"
                        + " the previous peak, or a hot partition). Look at the keys read most.",
                table.table().metric("ReadThrottleEvents", options(Stats.SUM, FIVE_MINUTES)));
        onAny("TableWriteThrottles", "table-write-throttles",
                "DynamoDB throttled writes to the table in the last 5 minutes (on demand: a burst above twice"
                        + " the previous peak, or a hot partition). Look at the keys written most.",
                table.table().metric("WriteThrottleEvents", options(Stats.SUM, FIVE_MINUTES)));
        onAny("TableSystemErrors", "table-system-errors",
                "DynamoDB answered requests on the table with internal errors (500) in the last 5 minutes. The"
                        + " SDKs retry them; if it persists, check the AWS Health Dashboard.",
                table.table().metricSystemErrorsForOperations(SystemErrorsForOperationsMetricOptions.builder()
                        .operations(WATCHED_OPERATIONS)
                        .statistic(Stats.SUM)
                        .period(FIVE_MINUTES)
                        .build()));
    }

    private void databaseAlarms(DatabaseInstance instance, DatabaseClass size) {
        // Missing data, for all three: RDS publishes every minute while the instance runs; an
        // instance that is down fails the tasks' readiness, which the unhealthy-task alarm reports.
        //
        // Storage autoscaling grows the volume once less than 10 % is free for 5 minutes, so at
        // 20 GiB this fires only when the growth does not come: at the 100 GiB ceiling, or within
        // the 6 hours after a previous growth.
        alarm("DatabaseFreeStorage", "database-free-storage",
                "Less than 2 GiB free on the database for 15 minutes and storage autoscaling has not grown it:"
                        + " raise the maximum storage or find what fills it (tables, WAL, logs).",
                instance.metricFreeStorageSpace(options(Stats.MINIMUM, FIVE_MINUTES)),
                ComparisonOperator.LESS_THAN_THRESHOLD, DATABASE_FREE_STORAGE_BYTES, new Window(3, 3),
                TreatMissingData.NOT_BREACHING);
        alarm("DatabaseCpu", "database-cpu",
                "The database's CPU has been above " + DATABASE_CPU_PERCENT + " % for 15 minutes. Look for slow"
                        + " queries (Performance Insights, pg_stat_statements); size up databaseInstanceType.",
                instance.metricCPUUtilization(options(Stats.AVERAGE, FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_THRESHOLD, DATABASE_CPU_PERCENT, new Window(3, 3),
                TreatMissingData.NOT_BREACHING);
        int connections = size.maxConnections() * DATABASE_CONNECTIONS_PERCENT / 100;
        alarm("DatabaseConnections", "database-connections",
                "More than " + connections + " database connections, near the instance's limit (about "
                        + size.maxConnections() + " on db." + size.name() + "): new ones will be refused. Size up"
                        + " the instance or lower maxTasks or the service's pool.",
                instance.metricDatabaseConnections(options(Stats.MAXIMUM, FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_THRESHOLD, connections, new Window(1, 1),
                TreatMissingData.NOT_BREACHING);
    }

    private void daxAlarms(String clusterName) {
        // Missing data, for all three: DAX publishes its metrics while the cluster runs; the error
        // counts only when there are errors.
        alarm("DaxCpu", "dax-cpu",
                "The DAX nodes' CPU has been above " + DAX_CPU_PERCENT + " % for 15 minutes: cached reads will slow"
                        + " down. Use a bigger daxNodeType.",
                daxMetric("CPUUtilization", clusterName, Stats.AVERAGE),
                ComparisonOperator.GREATER_THAN_THRESHOLD, DAX_CPU_PERCENT, new Window(3, 3),
                TreatMissingData.NOT_BREACHING);
        onAny("DaxErrors", "dax-errors",
                "DAX refused requests (a user error or a throttle) in the last 5 minutes: the service's reads"
                        + " through it fail. Read the tasks' log.",
                daxMetric("ErrorRequestCount", clusterName, Stats.SUM));
        onAny("DaxFaults", "dax-faults",
                "DAX failed requests with internal errors in the last 5 minutes. Look at the cluster's events"
                        + " and nodes.",
                daxMetric("FaultRequestCount", clusterName, Stats.SUM));
    }

    /** A metric of the service's target group behind its load balancer. */
    private static Metric targetGroupMetric(String name, String loadBalancer, String targetGroup, String statistic,
                                            Duration period) {
        return metric("AWS/ApplicationELB", name, Map.of("LoadBalancer", loadBalancer, "TargetGroup", targetGroup), statistic,
                period);
    }

    /** A metric of {@code namespace} with its dimensions. */
    private static Metric metric(String namespace, String name, Map<String, String> dimensions, String statistic,
                                 Duration period) {
        return Metric.Builder.create()
                .namespace(namespace)
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic(statistic)
                .period(period)
                .build();
    }

    /** A cluster-wide DAX metric (the dimension {@code ClusterId} holds the cluster's name) over 5 minutes. */
    private static Metric daxMetric(String name, String clusterName, String statistic) {
        return metric("AWS/DAX", name, Map.of("ClusterId", clusterName), statistic, FIVE_MINUTES);
    }

    private static MetricOptions options(String statistic, Duration period) {
        return MetricOptions.builder().statistic(statistic).period(period).build();
    }

    /** An alarm named {@code <prefix>-<name>} that notifies the topic when it fires and when it clears. */
    /** An alarm on anything counted in one period: above 0 once; no data is nothing to count. */
    private Alarm onAny(String id, String name, String description, IMetric metric) {
        return alarm(id, name, description, metric, ComparisonOperator.GREATER_THAN_THRESHOLD, 0, new Window(1, 1),
                TreatMissingData.NOT_BREACHING);
    }

    private Alarm alarm(String id, String name, String description, IMetric metric, ComparisonOperator comparison,
                       Number threshold, Window window, TreatMissingData missingData) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(prefix + "-" + name)
                .alarmDescription(description)
                .metric(metric)
                .comparisonOperator(comparison)
                .threshold(threshold)
                .evaluationPeriods(window.periods())
                .datapointsToAlarm(window.datapoints())
                .treatMissingData(missingData)
                .build();
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
        alarms.add(alarm);
        return alarm;
    }

    /**
     * Lets this account's EventBridge rules named {@code rulePrefix*} send to the topic
     * ({@code audit/TrailWatch}): in the topic's policy for those rules only, and in its key's policy
     * for data keys of this topic only (SNS names it in their encryption context; a key policy cannot
     * name the rules, as KMS does not learn them when EventBridge publishes to an encrypted topic).
     */
    public void admitEventRules(String rulePrefix) {
        Stack stack = Stack.of(this);
        String rules = stack.formatArn(ArnComponents.builder()
                .service("events")
                .resource("rule")
                .resourceName(rulePrefix + "*")
                .build());
        ServicePrincipal eventBridge = new ServicePrincipal("events.amazonaws.com");
        topic.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("EventRulesPublish")
                .effect(Effect.ALLOW)
                .principals(List.of(eventBridge))
                .actions(Access.ALARM_PUBLISH_ACTIONS)
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", rules)))
                .build()));
        key.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("EventRulesPublishToTheTopic")
                .effect(Effect.ALLOW)
                .principals(List.of(eventBridge))
                .actions(Access.ALARM_TOPIC_KEY_ACTIONS)
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("kms:EncryptionContext:aws:sns:topicArn", topicArn)))
                .build()));
    }

    /**
     * The prefix of the topic's and the alarms' names, from the table's name: what SNS allows in a
     * topic name (letters, digits, hyphens and underscores).
     */
    public static String namePrefix(String tableName) {
        return tableName.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    public Topic topic() {
        return topic;
    }

    public Key key() {
        return key;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /**
     * The alarms a deployment rolls back on: 5XX from the tasks or the load balancer, and unhealthy
     * tasks. None of them watches the ECS service itself, so the service can wait for them.
     */
    public List<IAlarm> deploymentAlarms() {
        return List.copyOf(deploymentAlarms);
    }
}
