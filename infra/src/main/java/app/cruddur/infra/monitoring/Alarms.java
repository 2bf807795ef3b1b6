package app.cruddur.infra.monitoring;

import app.cruddur.infra.Access;
import app.cruddur.infra.StackSettings;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.TopicProps;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The topic the operational alarms notify.
 *
 * <p>The topic is encrypted with a key of its own: CloudWatch can publish to an encrypted topic
 * only if the key's policy lets it use the key, and the policy of SNS's AWS managed key
 * ({@code alias/aws/sns}) cannot be changed. Both the key and the topic admit CloudWatch only for
 * this account's alarms named with this stack's prefix.
 */
public final class Alarms extends Construct {

    private final String prefix;
    private final Topic topic;
    private final Key key;

    public Alarms(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        Stack stack = Stack.of(this);
        prefix = namePrefix(settings.tableName());

        // Named, so that the key's policy can name the topic (a Ref would be a cycle: the topic
        // refers to the key).
        String topicName = prefix + "-alarms";
        String topicArn = stack.formatArn(ArnComponents.builder()
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
}
