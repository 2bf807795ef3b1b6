package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestKeyrings;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.ConversationKeyItem;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * bin/ddb/erase-conversation: after it, the conversation's items are gone; and when every item of
 * the conversation comes back exactly as a backup taken before the erasure held it (a PITR
 * restore, an export imported again), nothing of it opens: not its messages, not the list entries'
 * copies, not the stored answer of its idempotent post; and nothing makes it a new key.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EraseConversationToolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    UserRepository users;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;

    @Test
    void anErasedConversationRestoredFromABackupDoesNotOpen() throws IOException {
        TestUser alice = TestUsers.register(users, "erase");
        TestUser bob = TestUsers.register(users, "erase");
        String secret = "erase me " + UUID.randomUUID();
        String group = post(alice, Map.of("message", secret + " 1", "handle", bob.handle()), null);
        post(bob, Map.of("message", secret + " 2", "message_group_uuid", group), null);
        String key = "erase-" + UUID.randomUUID();
        post(alice, Map.of("message", secret + " 3", "message_group_uuid", group), key);
        UUID conversation = UUID.fromString(group);

        List<Map<String, AttributeValue>> backup = itemsOf(conversation, key);
        assertEquals(3 + 2 + 1 + 1 + 1, backup.size(), "3 messages, 2 list entries, the conversation, its pair, 1 idempotency record");
        LocalStackProcess stack = LocalStackTestResource.started();
        Keyring before = TestKeyrings.of(stack, dynamo);
        assertEquals(List.of(secret + " 1", secret + " 2", secret + " 3"), texts(before, backup), "everything opens before");

        ToolRun unconfirmed = run(stack, "erase-conversation", group);
        assertEquals(1, unconfirmed.code(), "an erasure is confirmed by typing the uuid");
        ToolRun erased = run(stack, "erase-conversation", group, "--yes");

        assertEquals(0, erased.code(), erased.err());
        assertTrue(erased.out().contains("deleted from " + tableConfig.name() + ": 3 messages, 2 list entries, the conversation and its pair"),
                erased.out());
        assertEquals(List.of(), itemsOf(conversation, key).stream()
                .filter(item -> !item.get(MessagesTable.PK).s().startsWith(IdempotencyItem.PREFIX)).toList(), "no live item is left");
        assertTrue(ConversationKeyItem.find(before.keys(), conversation).await().atMost(WAIT).orElseThrow().erased(),
                "a tombstone stays in the key table");

        // The backup comes back, item for item.
        for (Map<String, AttributeValue> item : backup) {
            dynamo.putItem(put -> put.tableName(tableConfig.name()).item(item)).join();
        }

        // An instance that did not hold the key in memory (any started since, and every other one once it
        // reads the key again after cached-key-life) opens none of it, and makes no new key for it.
        Keyring after = TestKeyrings.of(stack, dynamo);
        assertEquals(List.of("", "", ""), texts(after, backup));
        for (Map<String, AttributeValue> item : backup) {
            String flat = item.toString();
            assertFalse(flat.contains(secret), "no plaintext in the restored " + item.get(MessagesTable.PK).s());
        }
        assertThrows(Keyring.ErasedException.class, () -> after.forWriting(conversation).await().atMost(WAIT));
        // The tool again: it finds the restored items and deletes them; the tombstone stays.
        ToolRun again = run(stack, "erase-conversation", group, "--yes");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains(": 3 messages, 2 list entries, the conversation and its pair"), again.out());
    }

    /** The texts of the messages, the entries and the idempotency record among {@code items}, opened. */
    private static List<String> texts(Keyring keyring, List<Map<String, AttributeValue>> items) {
        List<String> texts = new ArrayList<>();
        List<String> copies = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String pk = item.get(MessagesTable.PK).s();
            if (pk.startsWith(MessageItem.PREFIX)) {
                texts.add(TestKeyrings.opened(keyring, MessageItem.from(item)).message());
            } else if (pk.startsWith(ListEntryItem.PREFIX)) {
                copies.add(TestKeyrings.text(keyring, ListEntryItem.from(item)));
            } else if (pk.startsWith(IdempotencyItem.PREFIX)) {
                copies.add(TestKeyrings.opened(keyring, MessageItem.from(item.get(IdempotencyItem.CREATED_MESSAGE).m())).message());
            }
        }
        // The entries copy the last message, the record the third: they open exactly when the messages do.
        assertEquals(List.of(texts.get(2), texts.get(2), texts.get(2)), copies);
        return texts;
    }

    /** Every item of the conversation, as a backup of the table holds them. */
    private List<Map<String, AttributeValue>> itemsOf(UUID conversation, String idempotencyKey) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(scan -> scan.tableName(tableConfig.name()).exclusiveStartKey(from)).join();
            for (Map<String, AttributeValue> item : page.items()) {
                String pk = item.get(MessagesTable.PK).s();
                AttributeValue group = item.get(MessagesTable.MESSAGE_GROUP_UUID);
                AttributeValue pair = item.get("pair_group_uuid");
                boolean ours = pk.equals(MessageItem.partition(conversation)) || pk.equals("CONV#" + conversation)
                        || group != null && group.s().equals(conversation.toString())
                        || pair != null && pair.s().equals(conversation.toString())
                        || pk.startsWith(IdempotencyItem.PREFIX) && pk.endsWith("#" + idempotencyKey);
                if (ours) {
                    found.add(item);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        found.sort(java.util.Comparator.comparing((Map<String, AttributeValue> item) -> item.get(MessagesTable.PK).s())
                .thenComparing(item -> item.get(MessagesTable.SK).s()));
        return found;
    }

    private static String post(TestUser sender, Map<String, String> body, String idempotencyKey) {
        var request = sender.api().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/messages").then().statusCode(200).extract().jsonPath().getString("message_group_uuid");
    }

    private ToolRun run(LocalStackProcess stack, String... args) throws IOException {
        Path coordinates = Files.createTempFile("coordinates", ".json");
        new ObjectMapper().writeValue(coordinates.toFile(), stack.coordinates());
        try {
            return ToolRun.of(out -> new DdbTool(out, question -> "no")::run,
                    Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", tableConfig.name()), args);
        } finally {
            Files.deleteIfExists(coordinates);
        }
    }
}
