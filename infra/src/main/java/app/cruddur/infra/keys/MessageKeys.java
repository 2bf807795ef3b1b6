package app.cruddur.infra.keys;

import app.cruddur.infra.Access;
import app.cruddur.infra.table.MessagesTable;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.dynamodb.TableProps;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyDocumentProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.constructs.Construct;

/**
 * The keys of the message texts (docs/security.md, "Client-side encryption"): the KMS key that wraps
 * the service's wrapping key, and the key table where the wrapping key and every conversation's key
 * live, apart from the messages table, so that no restore of the messages table brings back an
 * erased conversation's key.
 *
 * <p>The KMS key's policy lets the account administer the key and nothing more; only the roles
 * given to {@link #grantUse} may encrypt and decrypt with it, and only with the wrapping key's
 * encryption context. The projection Lambda never opens a text (it copies the sealed one), so it
 * has no use of it. KMS logs every use to CloudTrail as a management event, which the stack's trail records.
 *
 * <p>The key table keeps one day of point-in-time recovery: enough to undo an operator's mistake,
 * and short, because a restore of the key table would bring back a key erased within that window;
 * an erasure reaches every backup once that day has passed. No backup plan may include it.
 */
public final class MessageKeys extends Construct {

    /** The key table's point-in-time recovery window: how long an erased key can still be restored. */
    public static final int KEY_TABLE_RECOVERY_DAYS = 1;
    /** The encryption context every use of the KMS key must carry (the service's WrappingKey). */
    public static final String CONTEXT_PURPOSE = "cruddur-messages wrapping key";

    /** Administration of the key by the account (its IAM policies decide who): never its use. */
    public static final List<String> ADMIN_ACTIONS = List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
            "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
            "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand");

    private final Key key;
    private final Table table;

    public MessageKeys(Construct scope, String id, String messagesTableName, MessagesTable messages) {
        super(scope, id);

        key = new Key(this, "Key", KeyProps.builder()
                .description("Wraps the keys of the message texts of " + messagesTableName)
                .alias("alias/" + messagesTableName + "-texts")
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                // Without it no text can be read again: kept when the stack goes.
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .policy(new PolicyDocument(PolicyDocumentProps.builder()
                        .statements(List.of(new PolicyStatement(PolicyStatementProps.builder()
                                .sid("AccountAdministersTheKey")
                                .effect(Effect.ALLOW)
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(ADMIN_ACTIONS)
                                .resources(List.of("*"))
                                .build())))
                        .build()))
                .build());

        table = new Table(this, "Table", TableProps.builder()
                .tableName(messagesTableName + "-keys")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(messages.key())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .recoveryPeriodInDays(KEY_TABLE_RECOVERY_DAYS)
                        .build())
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build());
    }

    /**
     * Lets {@code role} read and make keys in the key table, and use the KMS key with the wrapping
     * key's context, named in the key's own policy and in the role's.
     */
    public void grantUse(IRole role) {
        role.addToPrincipalPolicy(Access.allow(Access.KEY_TABLE_ACTIONS, table.getTableArn()));
        Map<String, Object> context = Map.of("StringEquals", Map.of("kms:EncryptionContext:purpose", CONTEXT_PURPOSE));
        role.addToPrincipalPolicy(new PolicyStatement(PolicyStatementProps.builder()
                .effect(Effect.ALLOW)
                .actions(Access.TEXT_KEY_ACTIONS)
                .resources(List.of(key.getKeyArn()))
                .conditions(context)
                .build()));
        key.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .sid("ServiceWrapsItsKeys")
                .effect(Effect.ALLOW)
                .principals(List.of(role))
                .actions(Access.TEXT_KEY_ACTIONS)
                .resources(List.of("*"))
                .conditions(context)
                .build()));
    }

    public Key key() {
        return key;
    }

    public String keyArn() {
        return key.getKeyArn();
    }

    public String tableName() {
        return table.getTableName();
    }

    public String tableArn() {
        return table.getTableArn();
    }
}
