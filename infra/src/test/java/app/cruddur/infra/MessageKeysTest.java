package app.cruddur.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.cruddur.infra.keys.MessageKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The keys of the texts: the KMS key (rotated, kept) and the key table (keys pk and sk, as the
 * service's table/KeysTable makes it in dev), apart from the messages table, with a recovery window of one day so that an
 * erasure reaches every backup of it a day later.
 */
class MessageKeysTest {

    private static Template template;
    private static String keyTable;
    private static String textsKey;

    @BeforeAll
    static void synthesize() {
        template = Synth.defaults();
        keyTable = Cfn.onlyIdUnder(template, "AWS::DynamoDB::Table", "KeysTable");
        textsKey = LeastPrivilegeTest.textsKey(template);
    }

    @Test
    void theKmsKeyRotatesAndOutlivesTheStack() {
        Map<String, Object> key = Cfn.map(Cfn.resources(template).get(textsKey));
        assertEquals(true, Cfn.map(key.get("Properties")).get("EnableKeyRotation"));
        assertEquals(365, ((Number) Cfn.map(key.get("Properties")).get("RotationPeriodInDays")).intValue());
        assertEquals("RetainExceptOnCreate", key.get("DeletionPolicy"));
    }

    @Test
    void theKeyTableHasTheServicesShapeAShortRecoveryWindowAndProtection() {
        Map<String, Object> table = Cfn.properties(template, keyTable);
        assertEquals("cruddur-messages-keys", table.get("TableName"));
        assertEquals(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"), Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                table.get("KeySchema"));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true, "RecoveryPeriodInDays", MessageKeys.KEY_TABLE_RECOVERY_DAYS),
                table.get("PointInTimeRecoverySpecification"));
        assertEquals(true, table.get("DeletionProtectionEnabled"));
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertFalse(table.containsKey("StreamSpecification"), "no stream: nothing of it leaves the table");
        assertFalse(table.containsKey("TimeToLiveSpecification"));
        // Encrypted at rest with the messages table's key.
        String tableKey = Cfn.keyWithAlias(template, "alias/cruddur-messages-table");
        assertEquals(tableKey, Cfn.referencedId(Cfn.map(table.get("SSESpecification")).get("KMSMasterKeyId")));
    }
}
