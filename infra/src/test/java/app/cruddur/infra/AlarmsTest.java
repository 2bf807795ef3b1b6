package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.infra.monitoring.Alarms;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The alarm topic: encrypted with a key CloudWatch may use, TLS only, emailing only the address given. */
class AlarmsTest {

    private static final String ALARM_ARNS = "arn:{Partition}:cloudwatch:eu-west-1:123456789012:alarm:cruddur-messages-*";
    private static final String TOPIC_ARN = "arn:{Partition}:sns:eu-west-1:123456789012:cruddur-messages-alarms";

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
    void theTopicIsEncryptedWithAKeyOfItsOwnThatCloudWatchMayUse() {
        for (Template template : List.of(defaults, full)) {
            Map<String, Object> topic = Cfn.onlyProperties(template, "AWS::SNS::Topic");
            assertEquals("cruddur-messages-alarms", topic.get("TopicName"));
            String key = Cfn.keyWithAlias(template, "alias/cruddur-messages-alarms");
            assertEquals(Cfn.getAtt(key, "Arn"), topic.get("KmsMasterKeyId"), "not alias/aws/sns: CloudWatch could not use it");
            assertEquals(true, Cfn.properties(template, key).get("EnableKeyRotation"));

            List<Object> statements = list(map(Cfn.properties(template, key).get("KeyPolicy")).get("Statement"));
            assertEquals(2, statements.size(), "the default statement and CloudWatch's");
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
        }
    }

    @Test
    void theTopicTakesOnlyTlsAndOnlyTheseAlarms() {
        for (Template template : List.of(defaults, full)) {
            String topic = Cfn.onlyId(template, "AWS::SNS::Topic");
            Map<String, Object> policy = Cfn.onlyProperties(template, "AWS::SNS::TopicPolicy");
            assertEquals(List.of(Cfn.ref(topic)), policy.get("Topics"));
            List<Object> statements = list(map(policy.get("PolicyDocument")).get("Statement"));
            assertEquals(2, statements.size());
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
}
