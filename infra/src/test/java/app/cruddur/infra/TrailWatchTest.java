package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The trail watched: each call that weakens the table, its backups or its key, each call on the table
 * that IAM denied, and each Config rule finding the table non-compliant reaches the alarm topic.
 */
class TrailWatchTest {

    private static final String CLOUDTRAIL = "AWS API Call via CloudTrail";

    /** The watch's rules by name, without the stack's prefix. */
    private static Map<String, Map<String, Object>> rules(Template template) {
        Map<String, Map<String, Object>> rules = new TreeMap<>();
        Cfn.ofType(template, "AWS::Events::Rule").values().forEach(rule -> {
            Map<String, Object> properties = map(rule.get("Properties"));
            String name = (String) properties.get("Name");
            if (name.startsWith("cruddur-messages-watch-")) {
                rules.put(name.substring("cruddur-messages-watch-".length()), properties);
            }
        });
        return rules;
    }

    @Test
    void everyRuleSendsALineToTheAlarmTopic() {
        for (Template template : List.of(Synth.defaults(), Synth.production())) {
            Object topic = Cfn.ref(Cfn.onlyId(template, "AWS::SNS::Topic"));
            for (Map<String, Object> rule : rules(template).values()) {
                assertEquals("ENABLED", rule.get("State"));
                List<Object> targets = list(rule.get("Targets"));
                assertEquals(1, targets.size());
                assertEquals(topic, map(targets.get(0)).get("Arn"));
                String line = (String) map(map(targets.get(0)).get("InputTransformer")).get("InputTemplate");
                assertTrue(line.startsWith("\"<time>: "), line);
            }
        }
        assertEquals(Set.of("table-changed", "backups", "table-key-changed", "access-denied"),
                rules(Synth.defaults()).keySet());
        assertEquals(Set.of("table-changed", "backups", "table-key-changed", "access-denied", "config-noncompliant"),
                rules(Synth.production()).keySet(), "with the Config rules, their findings too");
    }

    @Test
    void watchesTheTablesProtectionsBackupsAndKey() {
        Template template = Synth.defaults();
        String table = Cfn.messagesTable(template);
        Map<String, Object> changed = map(rules(template).get("table-changed").get("EventPattern"));
        assertEquals(List.of("aws.dynamodb"), changed.get("source"));
        assertEquals(List.of(CLOUDTRAIL), changed.get("detail-type"));
        assertEquals(Map.of(
                        "eventName", List.of("DeleteTable", "UpdateTable", "UpdateContinuousBackups", "UpdateTimeToLive",
                                "PutResourcePolicy", "DeleteResourcePolicy"),
                        "requestParameters", Map.of("tableName", List.of(Cfn.ref(table), Cfn.getAtt(table, "Arn")))),
                changed.get("detail"));

        Map<String, Object> backups = map(map(rules(template).get("backups").get("EventPattern")).get("detail"));
        assertEquals(List.of("DeleteBackup", "RestoreTableFromBackup", "RestoreTableToPointInTime"), backups.get("eventName"));
        assertEquals(4, list(backups.get("$or")).size(), "by the backup's ARN, or the source or target table");

        Map<String, Object> key = map(rules(template).get("table-key-changed").get("EventPattern"));
        assertEquals(List.of("aws.kms"), key.get("source"));
        String keyId = Cfn.keyWithAlias(template, "alias/cruddur-messages-table");
        assertEquals(Map.of(
                        "eventName", List.of("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DisableKeyRotation"),
                        "resources", Map.of("ARN", List.of(Cfn.getAtt(keyId, "Arn"), Cfn.getAtt(LeastPrivilegeTest.textsKey(template), "Arn")))),
                key.get("detail"), "the table's key and the texts' key");
    }

    @Test
    void watchesAccessDeniedOnTheTableAndItsIndex() {
        Template template = Synth.defaults();
        String table = Cfn.messagesTable(template);
        Map<String, Object> denied = map(rules(template).get("access-denied").get("EventPattern"));
        assertEquals(Map.of("errorCode", List.of("AccessDenied", "AccessDeniedException"), "$or", List.of(
                        Map.of("requestParameters", Map.of("tableName", List.of(Cfn.ref(table), Cfn.getAtt(table, "Arn")))),
                        Map.of("resources", Map.of("ARN", List.of(Map.of("prefix", Cfn.getAtt(table, "Arn"))))))),
                denied.get("detail"));
    }

    @Test
    void watchesTheConfigRulesFindings() {
        Map<String, Object> pattern = map(rules(Synth.production()).get("config-noncompliant").get("EventPattern"));
        assertEquals(Map.of(
                        "source", List.of("aws.config"),
                        "detail-type", List.of("Config Rules Compliance Change"),
                        "detail", Map.of(
                                "configRuleName", List.of("cruddur-messages-pitr-enabled",
                                        "cruddur-messages-encrypted-with-key", "cruddur-messages-deletion-protection"),
                                "newEvaluationResult", Map.of("complianceType", List.of("NON_COMPLIANT")))),
                pattern);
    }
}
