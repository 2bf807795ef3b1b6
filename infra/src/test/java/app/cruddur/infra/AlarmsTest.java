package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.monitoring.Alarms;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The alarms: each on the right metric of the right resource, with its threshold, and notifying the
 * encrypted, TLS-only topic when it fires and when it clears; the database's only when the stack
 * creates it, DAX's only with DAX.
 */
class AlarmsTest {

    private static final String PREFIX = "cruddur-messages-";
    private static final String ALARM_ARNS = "arn:{Partition}:cloudwatch:eu-west-1:123456789012:alarm:cruddur-messages-*";
    private static final String TOPIC_ARN = "arn:{Partition}:sns:eu-west-1:123456789012:cruddur-messages-alarms";

    private static final String RULE_ARNS = "arn:{Partition}:events:eu-west-1:123456789012:rule/cruddur-messages-watch-*";

    private static final Set<String> ALWAYS = Set.of("projection-failures", "projection-failure-age",
            "projection-failure-delivery", "projection-throttles", "projection-unreadable-records",
            "projection-iterator-age", "projection-errors", "unhealthy-tasks", "too-few-healthy-tasks", "target-5xx",
            "elb-5xx", "service-memory", "service-cpu", "table-read-throttles", "table-write-throttles",
            "table-system-errors", "event-fan-out-lost", "event-cache-throttled", "event-cache-data",
            "event-cache-authentication-failures", "rate-limits-failing-open", "firewall-rate-limited",
            "firewall-blocked", "delivery-latency", "failures-dynamodb", "failures-postgresql", "failures-redis",
            "failures-service");
    private static final Set<String> DATABASE = Set.of("database-free-storage", "database-cpu", "database-connections");
    /** With the stack's own user pool: its sign-up trigger. */
    private static final Set<String> SIGN_UP = Set.of("sign-up-errors");
    private static final Set<String> DAX = Set.of("dax-cpu", "dax-errors", "dax-faults");

    private static Template defaults;
    private static Template full;
    private static Template twoZones;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults();
        full = Synth.full();
        twoZones = Synth.twoZones();
    }

    @Test
    void eachConfigurationHasTheAlarmsOfWhatItCreates() {
        assertEquals(union(ALWAYS, union(DATABASE, SIGN_UP)), alarmNames(defaults), "a created database and pool, no DAX");
        assertEquals(union(ALWAYS, DAX), alarmNames(full), "an existing database and pool, DAX");
        assertEquals(union(ALWAYS, union(DATABASE, union(DAX, SIGN_UP))), alarmNames(twoZones), "a created database and DAX");
    }

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItClears() {
        for (Template template : List.of(defaults, full, twoZones)) {
            List<Object> topic = List.of(Cfn.ref(Cfn.onlyId(template, "AWS::SNS::Topic")));
            Cfn.ofType(template, "AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
                Map<String, Object> properties = map(alarm.get("Properties"));
                assertEquals(topic, properties.get("AlarmActions"), id);
                assertEquals(topic, properties.get("OKActions"), id);
                assertFalse(properties.containsKey("InsufficientDataActions"), id);
                assertFalse(properties.containsKey("ActionsEnabled"), id + ": enabled (the default)");
                assertTrue(((String) properties.get("AlarmDescription")).length() > 40, id + " tells what to do");
                assertTrue(properties.containsKey("TreatMissingData"), id + " decides on missing data");
            });
        }
    }

    @Test
    void theProjectionAlarmsWatchTheFailureQueueAndTheFunction() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Object> queue = Map.of("QueueName", Cfn.getAtt(Cfn.onlyId(template, "AWS::SQS::Queue"), "QueueName"));
            Map<String, Object> function = Map.of("FunctionName", Cfn.ref(Cfn.onlyIdUnder(template, "AWS::Lambda::Function", "ProjectionFunction")));
            assertAlarm(template, "projection-failures", "AWS/SQS", "ApproximateNumberOfMessagesVisible", queue,
                    "Maximum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            assertAlarm(template, "projection-iterator-age", "AWS/Lambda", "IteratorAge", function,
                    "Maximum", 60, "GreaterThanThreshold", 60000, 5, 5, "notBreaching");
            assertAlarm(template, "projection-errors", "AWS/Lambda", "Errors", function,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            // A stored failed batch waiting more than an hour, one that could not be stored, throttling,
            // and the records the handler could not read (its EMF metric, without dimensions).
            assertAlarm(template, "projection-failure-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", queue,
                    "Maximum", 300, "GreaterThanThreshold", 3600, 1, 1, "notBreaching");
            assertAlarm(template, "projection-failure-delivery", "AWS/Lambda", "DestinationDeliveryFailures", function,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            assertAlarm(template, "projection-throttles", "AWS/Lambda", "Throttles", function,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            assertAlarm(template, "projection-unreadable-records", "CruddurMessages", "UnreadableStreamRecords", Map.of(),
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
        }
    }

    @Test
    void theLoadBalancerTheCacheAndTheFirewallHaveTheirAlarms() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Object> balancer = Map.of("LoadBalancer", Cfn.getAtt(
                    Cfn.onlyId(template, "AWS::ElasticLoadBalancingV2::LoadBalancer"), "LoadBalancerFullName"));
            assertAlarm(template, "elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", balancer,
                    "Sum", 300, "GreaterThanThreshold", 25, 1, 1, "notBreaching");
            Map<String, Object> cache = Map.of("clusterId", "cruddur-messages-events");
            // 80 % of the cache's 1 GB limit.
            assertAlarm(template, "event-cache-data", "AWS/ElastiCache", "BytesUsedForCache", cache,
                    "Maximum", 300, "GreaterThanThreshold", 858993459, 3, 3, "notBreaching");
            assertAlarm(template, "event-cache-authentication-failures", "AWS/ElastiCache", "AuthenticationFailures", cache,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            Map<String, Object> rateRule = Map.of("WebACL", "cruddur-messages-api", "Region", "eu-west-1",
                    "Rule", "api-rate-per-address");
            assertAlarm(template, "firewall-rate-limited", "AWS/WAFV2", "BlockedRequests", rateRule,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            Map<String, Object> allRules = Map.of("WebACL", "cruddur-messages-api", "Region", "eu-west-1", "Rule", "ALL");
            assertAlarm(template, "firewall-blocked", "AWS/WAFV2", "BlockedRequests", allRules,
                    "Sum", 300, "GreaterThanThreshold", 1000, 1, 1, "notBreaching");
        }
    }

    @Test
    void theServiceLevelAlarmsWatchTheServicesOwnMetrics() {
        for (Template template : List.of(defaults, full)) {
            // The collector's metrics of the service (docker/otel-collector.yaml).
            assertAlarm(template, "delivery-latency", "CruddurMessages", "cruddur_events_delivery_latency_seconds_max",
                    Map.of("service", "cruddur-messages"), "Maximum", 60, "GreaterThanThreshold", 5, 5, 5, "notBreaching");
            for (String part : List.of("dynamodb", "postgresql", "redis", "service")) {
                assertAlarm(template, "failures-" + part, "CruddurMessages", "cruddur_http_failures",
                        Map.of("service", "cruddur-messages", "part", part), "Sum", 300, "GreaterThanThreshold", 10, 1, 1,
                        "notBreaching");
            }
        }
    }

    @Test
    void theDashboardDrawsTheServiceLevelsAndTheAlarmsThresholds() {
        List<Map<String, Object>> dashboards = Cfn.ofType(defaults, "AWS::CloudWatch::Dashboard").values().stream()
                .map(resource -> map(resource.get("Properties"))).toList();
        assertEquals(1, dashboards.size());
        assertEquals("cruddur-messages-service", dashboards.get(0).get("DashboardName"));
        String body = String.valueOf(dashboards.get(0).get("DashboardBody"));
        for (String metric : List.of("cruddur_events_delivery_latency_seconds_max", "IteratorAge", "cruddur_http_failures",
                "cruddur_rate_limits_refused", "cruddur_events_streams_open", "HTTPCode_Target_5XX_Count")) {
            assertTrue(body.contains("\\\"" + metric + "\\\"") || body.contains("\"" + metric + "\""), metric + " in " + body);
        }
        for (String part : List.of("dynamodb", "postgresql", "redis", "service")) {
            assertTrue(body.contains("\"part\",\"" + part + "\""), part + " in " + body);
        }
    }

    @Test
    void theServiceAlarmsWatchTheTargetGroupAndTheTasks() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Object> targets = Map.of(
                    "LoadBalancer", Cfn.getAtt(Cfn.onlyId(template, "AWS::ElasticLoadBalancingV2::LoadBalancer"),
                            "LoadBalancerFullName"),
                    "TargetGroup", Cfn.getAtt(Cfn.onlyId(template, "AWS::ElasticLoadBalancingV2::TargetGroup"),
                            "TargetGroupFullName"));
            Map<String, Object> tasks = Map.of(
                    "ClusterName", Cfn.ref(Cfn.onlyId(template, "AWS::ECS::Cluster")),
                    "ServiceName", Cfn.getAtt(Cfn.onlyId(template, "AWS::ECS::Service"), "Name"));
            assertAlarm(template, "unhealthy-tasks", "AWS/ApplicationELB", "UnHealthyHostCount", targets,
                    "Maximum", 60, "GreaterThanThreshold", 0, 5, 5, "notBreaching");
            // minTasks (2 in both); no count at all counts as too few.
            assertAlarm(template, "too-few-healthy-tasks", "AWS/ApplicationELB", "HealthyHostCount", targets,
                    "Minimum", 60, "LessThanThreshold", 2, 5, 5, "breaching");
            assertAlarm(template, "target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", targets,
                    "Sum", 300, "GreaterThanThreshold", 25, 1, 1, "notBreaching");
            assertAlarm(template, "service-memory", "AWS/ECS", "MemoryUtilization", tasks,
                    "Maximum", 60, "GreaterThanThreshold", 85, 10, 10, "notBreaching");
            assertAlarm(template, "service-cpu", "AWS/ECS", "CPUUtilization", tasks,
                    "Average", 300, "GreaterThanThreshold", 90, 3, 3, "notBreaching");
        }
    }

    @Test
    void theTableAlarmsWatchThrottlesAndSystemErrors() {
        for (Template template : List.of(defaults, full)) {
            Object table = Cfn.ref(Cfn.messagesTable(template));
            assertAlarm(template, "table-read-throttles", "AWS/DynamoDB", "ReadThrottleEvents", Map.of("TableName", table),
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            assertAlarm(template, "table-write-throttles", "AWS/DynamoDB", "WriteThrottleEvents",
                    Map.of("TableName", table), "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");

            // SystemErrors exists per operation only: the sum over the operations in use.
            Map<String, Object> systemErrors = alarm(template, "table-system-errors");
            assertEquals("GreaterThanThreshold", systemErrors.get("ComparisonOperator"));
            assertEquals(0, systemErrors.get("Threshold"));
            assertEquals(1, systemErrors.get("EvaluationPeriods"));
            assertEquals(1, systemErrors.get("DatapointsToAlarm"));
            assertEquals("notBreaching", systemErrors.get("TreatMissingData"));
            assertFalse(systemErrors.containsKey("MetricName"), "a math expression");
            Map<String, String> operations = new TreeMap<>();
            String expression = null;
            for (Object query : list(systemErrors.get("Metrics"))) {
                Map<String, Object> metric = map(query);
                if (metric.containsKey("Expression")) {
                    assertEquals(true, metric.get("ReturnData"));
                    expression = (String) metric.get("Expression");
                    continue;
                }
                assertEquals(false, metric.get("ReturnData"));
                Map<String, Object> stat = map(metric.get("MetricStat"));
                assertEquals(300, stat.get("Period"));
                assertEquals("Sum", stat.get("Stat"));
                Map<String, Object> watched = map(stat.get("Metric"));
                assertEquals("AWS/DynamoDB", watched.get("Namespace"));
                assertEquals("SystemErrors", watched.get("MetricName"));
                Map<String, Object> dimensions = dimensions(watched.get("Dimensions"));
                assertEquals(table, dimensions.get("TableName"));
                operations.put((String) dimensions.get("Operation"), (String) metric.get("Id"));
            }
            assertEquals(Set.of("GetItem", "Query", "PutItem", "DeleteItem", "TransactWriteItems", "GetRecords"),
                    operations.keySet());
            assertEquals(new TreeSet<>(operations.values()), new TreeSet<>(List.of(expression.split(" \\+ "))),
                    "the expression adds them all: " + expression);
        }
    }

    @Test
    void theDatabaseAlarmsWatchTheCreatedInstance() {
        // 80 % of the connections of the class: 192 on db.t4g.small (the default for 6 tasks), 868 on db.m7g.large.
        Map<Template, Integer> connections = Map.of(defaults, 153, twoZones, 694);
        for (Template template : List.of(defaults, twoZones)) {
            Map<String, Object> instance = Map.of("DBInstanceIdentifier",
                    Cfn.ref(Cfn.onlyId(template, "AWS::RDS::DBInstance")));
            assertAlarm(template, "database-free-storage", "AWS/RDS", "FreeStorageSpace", instance,
                    "Minimum", 300, "LessThanThreshold", 2147483648L, 3, 3, "notBreaching");
            assertAlarm(template, "database-cpu", "AWS/RDS", "CPUUtilization", instance,
                    "Average", 300, "GreaterThanThreshold", 80, 3, 3, "notBreaching");
            assertAlarm(template, "database-connections", "AWS/RDS", "DatabaseConnections", instance,
                    "Maximum", 300, "GreaterThanThreshold", connections.get(template), 1, 1, "notBreaching");
        }
        assertEquals(80, Alarms.DATABASE_CONNECTIONS_PERCENT);
        // An existing database is watched where it is run.
        assertTrue(namespaces(full).stream().noneMatch("AWS/RDS"::equals));
    }

    @Test
    void theDaxAlarmsWatchTheCluster() {
        for (Template template : List.of(full, twoZones)) {
            Map<String, Object> cluster = Map.of("ClusterId", Cfn.ref(Cfn.onlyId(template, "AWS::DAX::Cluster")));
            assertAlarm(template, "dax-cpu", "AWS/DAX", "CPUUtilization", cluster,
                    "Average", 300, "GreaterThanThreshold", 70, 3, 3, "notBreaching");
            assertAlarm(template, "dax-errors", "AWS/DAX", "ErrorRequestCount", cluster,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
            assertAlarm(template, "dax-faults", "AWS/DAX", "FaultRequestCount", cluster,
                    "Sum", 300, "GreaterThanThreshold", 0, 1, 1, "notBreaching");
        }
        // The cluster's Ref is its name, which is what DAX's ClusterId dimension holds.
        assertEquals("cruddur-messages", Cfn.onlyProperties(full, "AWS::DAX::Cluster").get("ClusterName"));
        assertTrue(namespaces(defaults).stream().noneMatch("AWS/DAX"::equals));
    }

    @Test
    void theTopicIsEncryptedWithAKeyOfItsOwnThatCloudWatchMayUse() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Object> topic = Cfn.onlyProperties(template, "AWS::SNS::Topic");
            assertEquals("cruddur-messages-alarms", topic.get("TopicName"));
            String key = Cfn.keyWithAlias(template, "alias/cruddur-messages-alarms");
            assertEquals(Cfn.getAtt(key, "Arn"), topic.get("KmsMasterKeyId"), "not alias/aws/sns: CloudWatch could not use it");
            assertEquals(true, Cfn.properties(template, key).get("EnableKeyRotation"));

            List<Object> statements = list(map(Cfn.properties(template, key).get("KeyPolicy")).get("Statement"));
            assertEquals(3, statements.size(), "the default statement, CloudWatch's and EventBridge's");
            Map<String, Object> cloudWatch = map(statements.get(1));
            assertEquals("Allow", cloudWatch.get("Effect"));
            assertEquals(Map.of("Service", "cloudwatch.amazonaws.com"), cloudWatch.get("Principal"));
            assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey"), cloudWatch.get("Action"));
            assertEquals("*", cloudWatch.get("Resource"), "in a key policy: the key itself");
            assertEquals(Map.of(
                            "StringEquals", Map.of(
                                    "aws:SourceAccount", "123456789012",
                                    "kms:EncryptionContext:aws:sns:topicArn", TOPIC_ARN),
                            "ArnLike", Map.of("aws:SourceArn", ALARM_ARNS)),
                    withPartitionPlaceholders(cloudWatch.get("Condition")));
            // EventBridge (TrailWatch's rules) for data keys of this topic only: KMS cannot name the rules.
            Map<String, Object> eventBridge = map(statements.get(2));
            assertEquals(Map.of("Service", "events.amazonaws.com"), eventBridge.get("Principal"));
            assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey"), eventBridge.get("Action"));
            assertEquals(Map.of("StringEquals", Map.of("kms:EncryptionContext:aws:sns:topicArn", TOPIC_ARN)),
                    withPartitionPlaceholders(eventBridge.get("Condition")));
        }
    }

    @Test
    void theTopicTakesOnlyTlsAndOnlyTheseAlarms() {
        for (Template template : List.of(defaults, full)) {
            String topic = Cfn.onlyId(template, "AWS::SNS::Topic");
            Map<String, Object> policy = Cfn.onlyProperties(template, "AWS::SNS::TopicPolicy");
            assertEquals(List.of(Cfn.ref(topic)), policy.get("Topics"));
            List<Object> statements = list(map(policy.get("PolicyDocument")).get("Statement"));
            assertEquals(3, statements.size());
            Map<String, Object> tlsOnly = map(statements.get(0));
            assertEquals("Deny", tlsOnly.get("Effect"));
            assertEquals("*", tlsOnly.get("Principal"));
            assertEquals("sns:Publish", tlsOnly.get("Action"));
            assertEquals(Cfn.ref(topic), tlsOnly.get("Resource"));
            assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), tlsOnly.get("Condition"));

            Map<String, Object> alarms = map(statements.get(1));
            assertEquals("Allow", alarms.get("Effect"));
            assertEquals(Map.of("Service", "cloudwatch.amazonaws.com"), alarms.get("Principal"));
            assertEquals("sns:Publish", alarms.get("Action"));
            assertEquals(Cfn.ref(topic), alarms.get("Resource"));
            assertEquals(Map.of(
                            "StringEquals", Map.of("aws:SourceAccount", "123456789012"),
                            "ArnLike", Map.of("aws:SourceArn", ALARM_ARNS)),
                    withPartitionPlaceholders(alarms.get("Condition")));

            Map<String, Object> rules = map(statements.get(2));
            assertEquals(Map.of("Service", "events.amazonaws.com"), rules.get("Principal"));
            assertEquals("sns:Publish", rules.get("Action"));
            assertEquals(Map.of(
                            "StringEquals", Map.of("aws:SourceAccount", "123456789012"),
                            "ArnLike", Map.of("aws:SourceArn", RULE_ARNS)),
                    withPartitionPlaceholders(rules.get("Condition")));
        }
    }

    @Test
    void emailsOnlyTheAddressGiven() {
        defaults.resourceCountIs("AWS::SNS::Subscription", 0);
        twoZones.resourceCountIs("AWS::SNS::Subscription", 0);
        full.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email",
                "Endpoint", Synth.ALARM_EMAIL,
                "TopicArn", Cfn.ref(Cfn.onlyId(full, "AWS::SNS::Topic"))));
        full.resourceCountIs("AWS::SNS::Subscription", 1);
    }

    @Test
    void namesFollowTheTableAsSnsAllows() {
        assertEquals("cruddur-messages", Alarms.namePrefix("cruddur-messages"));
        assertEquals("Cruddur_Messages-v2", Alarms.namePrefix("Cruddur_Messages.v2"));
    }

    /** Asserts the alarm {@code cruddur-messages-<name>} on one plain metric. */
    private static void assertAlarm(Template template, String name, String namespace, String metric,
                                    Map<String, Object> dimensions, String statistic, int period, String comparison,
                                    Number threshold, int evaluationPeriods, int datapoints, String missingData) {
        Map<String, Object> alarm = alarm(template, name);
        Map<String, Object> actual = new LinkedHashMap<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (String key : List.of("Namespace", "MetricName", "Statistic", "Period", "ComparisonOperator", "Threshold",
                "EvaluationPeriods", "DatapointsToAlarm", "TreatMissingData")) {
            actual.put(key, alarm.get(key));
        }
        actual.put("Dimensions", dimensions(alarm.get("Dimensions")));
        expected.put("Namespace", namespace);
        expected.put("MetricName", metric);
        expected.put("Statistic", statistic);
        expected.put("Period", period);
        expected.put("ComparisonOperator", comparison);
        expected.put("Threshold", threshold);
        expected.put("EvaluationPeriods", evaluationPeriods);
        expected.put("DatapointsToAlarm", datapoints);
        expected.put("TreatMissingData", missingData);
        expected.put("Dimensions", dimensions);
        assertEquals(expected, actual, name);
    }

    /** The properties of the one alarm named {@code cruddur-messages-<name>}. */
    private static Map<String, Object> alarm(Template template, String name) {
        List<Map<String, Object>> found = Cfn.ofType(template, "AWS::CloudWatch::Alarm").values().stream()
                .map(alarm -> map(alarm.get("Properties")))
                .filter(properties -> (PREFIX + name).equals(properties.get("AlarmName")))
                .toList();
        assertEquals(1, found.size(), "alarms named " + PREFIX + name);
        return found.get(0);
    }

    private static Set<String> alarmNames(Template template) {
        Set<String> names = new TreeSet<>();
        Cfn.ofType(template, "AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            String name = (String) map(alarm.get("Properties")).get("AlarmName");
            assertTrue(name.startsWith(PREFIX), name + ": the topic and its key admit only this prefix");
            names.add(name.substring(PREFIX.length()));
        });
        return names;
    }

    /** The namespaces of the alarms on one metric. */
    private static Set<String> namespaces(Template template) {
        Set<String> namespaces = new TreeSet<>();
        Cfn.ofType(template, "AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            Map<String, Object> properties = map(alarm.get("Properties"));
            if (properties.containsKey("Namespace")) {
                namespaces.add((String) properties.get("Namespace"));
            }
        });
        assertFalse(namespaces.isEmpty());
        return namespaces;
    }

    /** CloudWatch's dimension list as a map of name to value. */
    private static Map<String, Object> dimensions(Object list) {
        Map<String, Object> dimensions = new TreeMap<>();
        for (Object dimension : Cfn.oneOrMany(list)) {
            dimensions.put((String) map(dimension).get("Name"), map(dimension).get("Value"));
        }
        return dimensions;
    }

    /**
     * A condition with each {@code {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, rest]]}}
     * written as the string {@code arn:{Partition}rest}, to compare it with a literal.
     */
    private static Object withPartitionPlaceholders(Object value) {
        if (value instanceof Map<?, ?> object) {
            if (object.containsKey("Fn::Join")) {
                StringBuilder joined = new StringBuilder();
                for (Object part : list(list(object.get("Fn::Join")).get(1))) {
                    joined.append(Map.of("Ref", "AWS::Partition").equals(part) ? "{Partition}" : (String) part);
                }
                return joined.toString();
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            object.forEach((k, v) -> copy.put((String) k, withPartitionPlaceholders(v)));
            return copy;
        }
        return value;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }
}
