package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The table: schema, stream, TTL, recovery, encryption, protection and capacity mode. */
class MessagesTableTest {

    private static Template template;
    private static String tableId;
    private static String keyId;

    @BeforeAll
    static void synthesize() {
        template = Synth.defaults();
        tableId = Cfn.messagesTable(template);
        keyId = Cfn.keyWithAlias(template, "alias/cruddur-messages-table");
    }

    @Test
    void hasTheServiceKeysAndTheGroupIndex() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "TableName", "cruddur-messages",
                "KeySchema", List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", "pk", "AttributeType", "S"),
                        Map.of("AttributeName", "sk", "AttributeType", "S"),
                        Map.of("AttributeName", "message_group_uuid", "AttributeType", "S"))),
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", "message-group-sk-index",
                        "KeySchema", List.of(
                                Map.of("AttributeName", "message_group_uuid", "KeyType", "HASH"),
                                Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL")))));
        assertEquals(3, ((List<?>) Cfn.properties(template, tableId).get("AttributeDefinitions")).size(),
                "only key attributes are declared");
    }

    @Test
    void streamsNewImagesAndExpiresByTtl() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"),
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true)));
    }

    @Test
    void isOnDemand() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("BillingMode", "PAY_PER_REQUEST"));
        assertEquals(null, Cfn.properties(template, tableId).get("ProvisionedThroughput"));
    }

    @Test
    void hasPointInTimeRecoveryAndDeletionProtectionAndIsRetained() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "DeletionProtectionEnabled", true));
        // Kept when the stack is deleted or the table replaced; removed only when the deployment
        // that created it rolls back (FirstDeployTest).
        template.hasResource("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "RetainExceptOnCreate",
                "UpdateReplacePolicy", "Retain"));
    }

    @Test
    void isEncryptedWithItsOwnRotatingKey() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "SSESpecification", Map.of(
                        "SSEEnabled", true,
                        "SSEType", "KMS",
                        "KMSMasterKeyId", Cfn.getAtt(keyId, "Arn"))));
        assertEquals(true, Cfn.properties(template, keyId).get("EnableKeyRotation"));
        // The data outlives the stack, and so must its key.
        Map<String, Object> key = Cfn.map(Cfn.resources(template).get(keyId));
        assertEquals("RetainExceptOnCreate", key.get("DeletionPolicy"));
        assertEquals("Retain", key.get("UpdateReplacePolicy"));
    }

    @Test
    void takesItsNameFromTheSettings() {
        Map<String, Object> context = Synth.requiredContext();
        context.put("tableName", "cruddur-messages-staging");
        assertEquals("cruddur-messages-staging", StackSettings.fromContext(context::get).tableName());
    }
}
