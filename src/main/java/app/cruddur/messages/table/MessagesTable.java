package app.cruddur.messages.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
 * The shape of the single table {@code cruddur-messages}: keys, the sparse group index, the stream
 * and the TTL, declared once in {@code table/messages-table.json} in the CloudFormation / DynamoDB
 * API's own terms. The service, the command-line tools and the tests create the table from it, and
 * {@code infra/}'s TableShapeTest checks that the stack's table is the same.
 *
 * <p>Each item type declares its keys, its attributes and its access patterns in its own file
 * ({@link MessageItem}, {@link ListEntryItem}, {@link ConversationItem}, {@link PairItem},
 * {@link IdempotencyItem}, {@link BlockItem}); docs/data.md lays them side by side with their costs.
 * Message and list-entry keys are those of the reference layout, so its scripts read our data.
 */
public final class MessagesTable {

    /** The table's name unless configured otherwise (the service's and the Lambda's default). */
    public static final String DEFAULT_NAME = "cruddur-messages";

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** Set only on list entries, so the index holds list entries and no messages (sparse). */
    public static final String MESSAGE_GROUP_UUID = "message_group_uuid";
    /** The sparse index over list entries (HASH message_group_uuid, RANGE sk); its default name. */
    public static final String GROUP_INDEX = "message-group-sk-index";
    /**
     * The attributes messages and list entries share, as the reference lays them out: the text, and a
     * user (on a message its sender, on a list entry the other member).
     */
    public static final String MESSAGE = "message";
    public static final String USER_UUID = "user_uuid";
    public static final String USER_DISPLAY_NAME = "user_display_name";
    public static final String USER_HANDLE = "user_handle";
    /** The TTL attribute; only idempotency records carry it. */
    public static final String TIME_TO_LIVE = IdempotencyItem.EXPIRES_AT;

    static final String SHAPE = "/table/messages-table.json";

    private MessagesTable() {
    }

    /** The table as {@code messages-table.json} declares it, under the given names. */
    public static CreateTableRequest createTableRequest(String tableName, String groupIndexName) {
        JsonNode definition = Shape.DEFINITION;
        JsonNode index = definition.path("GlobalSecondaryIndexes").get(0);
        return CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(stream(definition.path("AttributeDefinitions"))
                        .map(a -> AttributeDefinition.builder().attributeName(a.path("AttributeName").asText())
                                .attributeType(ScalarAttributeType.fromValue(a.path("AttributeType").asText())).build())
                        .toList())
                .keySchema(keys(definition.path("KeySchema")))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(groupIndexName)
                        .keySchema(keys(index.path("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.fromValue(index.path("Projection").path("ProjectionType").asText()))
                                .build())
                        .build())
                .billingMode(BillingMode.fromValue(definition.path("BillingMode").asText()))
                // The stream feeds the projection that keeps each member's list entry current.
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.fromValue(definition.path("StreamSpecification").path("StreamViewType").asText()))
                        .build())
                .build();
    }

    public static UpdateTimeToLiveRequest timeToLiveRequest(String tableName) {
        JsonNode ttl = Shape.DEFINITION.path("TimeToLiveSpecification");
        return UpdateTimeToLiveRequest.builder()
                .tableName(tableName)
                .timeToLiveSpecification(TimeToLiveSpecification.builder()
                        .attributeName(ttl.path("AttributeName").asText()).enabled(ttl.path("Enabled").asBoolean()).build())
                .build();
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        return stream(schema).map(k -> KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(KeyType.fromValue(k.path("KeyType").asText())).build()).toList();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** Read on first use only: code that needs just the names above (the Lambda) never reads the file. */
    private static final class Shape {
        static final JsonNode DEFINITION = read();
    }

    static JsonNode read() {
        try (InputStream in = MessagesTable.class.getResourceAsStream(SHAPE)) {
            if (in == null) {
                throw new IllegalStateException(SHAPE + " is missing from the class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SHAPE, e);
        }
    }
}
