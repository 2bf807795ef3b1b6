package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/** The names the code uses are the ones messages-table.json declares (infra/ checks the stack against the same file). */
class MessagesTableShapeTest {

    @Test
    void theKeysTheIndexAndTheTtlAreTheCodesNames() {
        CreateTableRequest table = MessagesTable.createTableRequest("t", MessagesTable.GROUP_INDEX);
        assertEquals(List.of(MessagesTable.PK + ":HASH", MessagesTable.SK + ":RANGE"), keys(table.keySchema()));
        assertEquals(List.of(MessagesTable.MESSAGE_GROUP_UUID + ":HASH", MessagesTable.SK + ":RANGE"),
                keys(table.globalSecondaryIndexes().get(0).keySchema()));
        JsonNode shape = MessagesTable.read();
        assertEquals(MessagesTable.GROUP_INDEX, shape.path("GlobalSecondaryIndexes").get(0).path("IndexName").asText());
        assertEquals(MessagesTable.TIME_TO_LIVE,
                MessagesTable.timeToLiveRequest("t").timeToLiveSpecification().attributeName());
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(key -> key.attributeName() + ":" + key.keyTypeAsString()).toList();
    }
}
