package app.cruddur.messages.table;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The key table: the conversations' keys ({@link ConversationKeyItem}) and the key that wraps them
 * ({@link WrappingKeyItem}), apart from the messages table so that no restore of the messages table
 * brings back a key that was destroyed (docs/security.md, "Erasure"). Keys pk and sk, as the messages
 * table's; no index, no stream, no TTL.
 */
public final class KeysTable {

    public static final String DEFAULT_NAME = "cruddur-messages-keys";
    /** Each key item's sort key. */
    public static final String SK = "KEY";

    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(MessagesTable.PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(MessagesTable.SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(List.of(
                        KeySchemaElement.builder().attributeName(MessagesTable.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(MessagesTable.SK).keyType(KeyType.RANGE).build()))
                .build();
    }

    private KeysTable() {
    }
}
