package app.cruddur.infra.audit;

import app.cruddur.infra.table.MessagesTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.CfnRuleProps;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * What the trail records, watched: EventBridge rules that send the alarm topic a line for each call
 * that weakens or removes the table, its backups or its key (DynamoDB's own grants on the key, made
 * as it uses it, are left out), for each call on the table that IAM
 * denied, and (with the Config rules) for each rule that finds the table non-compliant. The trail
 * ({@link Audit}) records the table's data events and the account's write management events;
 * EventBridge sees CloudTrail's events only while a trail records them.
 *
 * <p>Every rule is named {@code <prefix>-watch-<what>}, so that the topic admits EventBridge for
 * exactly these rules ({@code aws:SourceArn}).
 */
public final class TrailWatch extends Construct {

    public static final String CLOUDTRAIL = "AWS API Call via CloudTrail";
    /** The calls on the table that change or remove its protections or its data. */
    public static final List<String> TABLE_CHANGES = List.of("DeleteTable", "UpdateTable", "UpdateContinuousBackups",
            "UpdateTimeToLive", "PutResourcePolicy", "DeleteResourcePolicy");
    /** The calls on its backups. */
    public static final List<String> BACKUP_CHANGES = List.of("DeleteBackup", "RestoreTableFromBackup",
            "RestoreTableToPointInTime");
    /** The calls that would make the table's key unusable or hand it to someone else. */
    public static final List<String> KEY_CHANGES = List.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy",
            "DisableKeyRotation");
    public static final List<String> ACCESS_DENIED = List.of("AccessDenied", "AccessDeniedException");

    private final List<CfnRule> rules = new ArrayList<>();
    private final String prefix;

    public TrailWatch(Construct scope, String id, String namePrefix, MessagesTable table, String textsKeyArn, ITopic topic,
                      List<String> configRuleNames) {
        super(scope, id);
        this.prefix = namePrefix + "-watch-";
        String tableName = table.tableName();
        String tableArn = table.tableArn();

        rule("TableChanged", "table-changed", "The messages table's settings changed (deletion, protection, backups, TTL,"
                        + " resource policy)",
                cloudTrail("aws.dynamodb", TABLE_CHANGES, Map.of("requestParameters",
                        Map.of("tableName", List.of(tableName, tableArn)))),
                apiCallMessage(), topic);
        rule("Backups", "backups", "A backup of the messages table was deleted, or the table restored",
                cloudTrail("aws.dynamodb", BACKUP_CHANGES, Map.of("$or", List.of(
                        Map.of("requestParameters", Map.of("backupArn", List.of(Map.of("prefix", tableArn + "/backup/")))),
                        Map.of("requestParameters", Map.of("sourceTableName", List.of(tableName))),
                        Map.of("requestParameters", Map.of("sourceTableArn", List.of(tableArn))),
                        Map.of("requestParameters", Map.of("targetTableName", List.of(tableName)))))),
                apiCallMessage(), topic);
        // Either key lost is every text lost: the table's, and the one that wraps the texts' keys.
        rule("TableKeyChanged", "table-key-changed", "The messages table's key or its texts' key was disabled, scheduled"
                        + " for deletion, granted or given another policy",
                cloudTrail("aws.kms", KEY_CHANGES, Map.of("resources", Map.of("ARN", List.of(table.key().getKeyArn(), textsKeyArn)))),
                apiCallMessage(), topic);
        rule("AccessDenied", "access-denied", "A call on the messages table was denied by IAM",
                Map.of("source", List.of("aws.dynamodb"),
                        "detail-type", List.of(CLOUDTRAIL),
                        "detail", Map.of("errorCode", ACCESS_DENIED, "$or", List.of(
                                Map.of("requestParameters", Map.of("tableName", List.of(tableName, tableArn))),
                                Map.of("resources", Map.of("ARN", List.of(Map.of("prefix", tableArn))))))),
                apiCallMessage(), topic);
        if (!configRuleNames.isEmpty()) {
            rule("ConfigNonCompliant", "config-noncompliant", "An AWS Config rule found the messages table non-compliant",
                    Map.of("source", List.of("aws.config"),
                            "detail-type", List.of("Config Rules Compliance Change"),
                            "detail", Map.of("configRuleName", configRuleNames,
                                    "newEvaluationResult", Map.of("complianceType", List.of("NON_COMPLIANT")))),
                    new CfnRule.InputTransformerProperty.Builder()
                            .inputPathsMap(Map.of("rule", "$.detail.configRuleName", "resource", "$.detail.resourceId",
                                    "time", "$.time"))
                            .inputTemplate("\"<time>: the AWS Config rule <rule> finds <resource> NON_COMPLIANT.\"")
                            .build(),
                    topic);
        }
    }

    /** An event pattern for CloudTrail's record of {@code eventNames} by {@code source}, with {@code detail} besides. */
    private static Map<String, Object> cloudTrail(String source, List<String> eventNames, Map<String, Object> detail) {
        Map<String, Object> matched = new LinkedHashMap<>(detail);
        matched.put("eventName", eventNames);
        return Map.of("source", List.of(source), "detail-type", List.of(CLOUDTRAIL), "detail", matched);
    }

    /** One line saying who called what, from where, and what came of it. */
    private static CfnRule.InputTransformerProperty apiCallMessage() {
        return new CfnRule.InputTransformerProperty.Builder()
                .inputPathsMap(Map.of(
                        "call", "$.detail.eventName",
                        "who", "$.detail.userIdentity.arn",
                        "agent", "$.detail.userAgent",
                        "from", "$.detail.sourceIPAddress",
                        "error", "$.detail.errorCode",
                        "time", "$.time"))
                .inputTemplate("\"<time>: <call> by <who> (<agent>) from <from>; error: <error>.\"")
                .build();
    }

    private void rule(String id, String name, String description, Map<String, Object> pattern,
                      CfnRule.InputTransformerProperty message, ITopic topic) {
        rules.add(new CfnRule(this, id, CfnRuleProps.builder()
                .name(prefix + name)
                .description(description)
                .eventPattern(pattern)
                .state("ENABLED")
                .targets(List.of(CfnRule.TargetProperty.builder()
                        .id("AlarmTopic")
                        .arn(topic.getTopicArn())
                        .inputTransformer(message)
                        .build()))
                .build()));
    }

    /** The prefix of the rules' names ({@code <prefix>-watch-}). */
    public String rulePrefix() {
        return prefix;
    }

    public List<CfnRule> rules() {
        return List.copyOf(rules);
    }
}
