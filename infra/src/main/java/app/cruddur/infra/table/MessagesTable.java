package app.cruddur.infra.table;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.dynamodb.TableProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeyProps;
import software.constructs.Construct;

/**
 * The single table of the service and the customer-managed key it is encrypted with. The schema
 * (keys, the group index, the stream for the list-entry projection and the TTL of idempotency items)
 * is the one the service declares in {@code src/main/resources/table/messages-table.json};
 * TableShapeTest fails when the two differ.
 */
public final class MessagesTable extends Construct {

    public static final String GROUP_INDEX = "message-group-sk-index";
    public static final String TTL_ATTRIBUTE = "expires_at";

    private final Table table;
    private final Key key;

    public MessagesTable(Construct scope, String id, String tableName) {
        super(scope, id);

        key = new Key(this, "Key", KeyProps.builder()
                .description("Encrypts the " + tableName + " DynamoDB table, its indexes, stream and backups")
                .alias("alias/" + tableName + "-table")
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                // The data outlives the stack: a key scheduled for deletion would make the retained
                // table and its backups unreadable. A failed first creation takes it away again.
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build());

        table = new Table(this, "Table", TableProps.builder()
                .tableName(tableName)
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                // On-demand: chat traffic is spiky (bursts when people are online, near zero at
                // night) and the service's access patterns are small items (docs/data.md, "Access patterns").
                // On-demand needs no capacity planning or auto-scaling lag and costs nothing when
                // idle; provisioned capacity only pays off for steady, predictable load, which is
                // something to revisit once real traffic has been measured.
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .deletionProtection(true)
                // Kept when the stack is deleted or the table replaced; removed only when the deployment
                // that created it rolls back, so that a retry does not collide with its fixed name. (With
                // deletion protection on, that removal fails: docs/deploy.md deploys with --no-rollback.)
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                // The projection needs only the new item of each INSERT.
                .stream(StreamViewType.NEW_IMAGE)
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .build());

        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(GROUP_INDEX)
                .partitionKey(Attribute.builder().name("message_group_uuid").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL)
                .build());
    }

    public Table table() {
        return table;
    }

    public Key key() {
        return key;
    }

    public String tableName() {
        return table.getTableName();
    }

    public String tableArn() {
        return table.getTableArn();
    }

    /** The ARN of the group index ({@code <table ARN>/index/message-group-sk-index}). */
    public String groupIndexArn() {
        return table.getTableArn() + "/index/" + GROUP_INDEX;
    }

    /** The ARN of the table's current stream. */
    public String streamArn() {
        return table.getTableStreamArn();
    }
}
