package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import app.cruddur.messages.support.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Table creation against DynamoDB Local. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class MessagesTableAdminTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    MessagesTableAdmin admin;
    @Inject
    DynamoDbAsyncClient dynamo;

    @Test
    void ensureTableIsANoOpWhenTheTableExists() {
        assertEquals(MessagesTableAdmin.Outcome.ALREADY_EXISTS, admin.ensureTable().await().atMost(WAIT));
        assertEquals(MessagesTableAdmin.Outcome.ALREADY_EXISTS, admin.ensureTable().await().atMost(WAIT));
    }

    @Test
    void ensureTableCreatesTheTableAsTheReferenceDefinesIt() {
        dynamo.deleteTable(b -> b.tableName(admin.tableName())).join();

        assertEquals(MessagesTableAdmin.Outcome.CREATED, admin.ensureTable().await().atMost(WAIT));
        TableDescription table = admin.describe().await().atMost(WAIT).table();

        assertEquals("pk", keyOf(table, KeyType.HASH));
        assertEquals("sk", keyOf(table, KeyType.RANGE));
        assertTrue(table.streamSpecification().streamEnabled());
        assertEquals(StreamViewType.NEW_IMAGE, table.streamSpecification().streamViewType());
        assertEquals(1, table.globalSecondaryIndexes().size());
        GlobalSecondaryIndexDescription index = table.globalSecondaryIndexes().get(0);
        assertEquals("message-group-sk-index", index.indexName());
        assertEquals("message_group_uuid", index.keySchema().get(0).attributeName());
        assertEquals(KeyType.HASH, index.keySchema().get(0).keyType());
        assertEquals("sk", index.keySchema().get(1).attributeName());
        assertEquals(ProjectionType.ALL, index.projection().projectionType());
        assertTrue(admin.isActive().await().atMost(WAIT));
        TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(admin.tableName())).join().timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("expires_at", ttl.attributeName());
    }

    private static String keyOf(TableDescription table, KeyType type) {
        return table.keySchema().stream().filter(k -> k.keyType() == type).findFirst().orElseThrow().attributeName();
    }
}
