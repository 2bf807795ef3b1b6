package app.cruddur.messages.table;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The shape of the single table {@code cruddur-messages}: keys, the sparse group index and the
 * stream. The service, the command-line tools and the tests all create it from here.
 */
public final class MessagesTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** Set only on group rows, so the index holds group rows and no messages (sparse). */
    public static final String MESSAGE_GROUP_UUID = "message_group_uuid";
    /** The sparse index over group rows (HASH message_group_uuid, RANGE sk); its default name. */
    public static final String GROUP_INDEX = "message-group-sk-index";
    /** The TTL attribute; only idempotency records carry it. */
    public static final String TIME_TO_LIVE = IdempotencyItem.EXPIRES_AT;

    private MessagesTable() {
    }

    public static CreateTableRequest createTableRequest(String tableName, String groupIndexName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(
                        string(PK),
                        string(SK),
                        string(MESSAGE_GROUP_UUID))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(groupIndexName)
                        .keySchema(key(MESSAGE_GROUP_UUID, KeyType.HASH), key(SK, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                // The stream feeds the projection that keeps each member's group row current.
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_IMAGE)
                        .build())
                .build();
    }

    public static UpdateTimeToLiveRequest timeToLiveRequest(String tableName) {
        return UpdateTimeToLiveRequest.builder()
                .tableName(tableName)
                .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(TIME_TO_LIVE).enabled(true).build())
                .build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
