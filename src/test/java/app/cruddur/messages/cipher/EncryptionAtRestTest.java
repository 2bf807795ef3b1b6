package app.cruddur.messages.cipher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Metrics;
import app.cruddur.messages.support.TestKeyrings;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import app.cruddur.messages.view.MessageView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * No message text reaches the table in plaintext: after posts of every kind, retries and moves, a
 * plain DynamoDB client reads every item of both tables and finds none of the texts, in any
 * attribute, at any depth; and a ciphertext put where it does not belong does not open.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EncryptionAtRestTest {

    @Inject
    UserRepository users;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;
    @Inject
    EncryptionConfig encryption;
    @TestHTTPResource(value = "/", management = true)
    URL management;

    private TestUser alice;
    private TestUser bob;
    private final String marker = "secret-" + UUID.randomUUID();

    @BeforeEach
    void users() {
        alice = TestUsers.register(users, "vault");
        bob = TestUsers.register(users, "vault");
    }

    @Test
    void noTextIsStoredInPlaintextAnywhere() {
        List<String> texts = List.of(marker + " opens", marker + " replies with ümlauts and 😀", marker + " once",
                marker + " answers");
        String key = "at-rest-" + UUID.randomUUID();
        String group = post(alice, Map.of("message", texts.get(0), "handle", bob.handle()), null).getString("message_group_uuid");
        post(bob, Map.of("message", texts.get(1), "message_group_uuid", group), null);
        JsonPath first = post(alice, Map.of("message", texts.get(2), "message_group_uuid", group), key);
        JsonPath retried = post(alice, Map.of("message", texts.get(2), "message_group_uuid", group), key);
        assertEquals(first.getString("uuid"), retried.getString("uuid"), "the retry got the first answer");
        assertEquals(texts.get(2), retried.getString("message"), "the stored answer opens");
        post(bob, Map.of("message", texts.get(3), "handle", alice.handle()), UUID.randomUUID().toString());

        // The API shows every text...
        List<String> shown = alice.api().get("/api/messages/" + group).jsonPath().getList("message");
        assertEquals(texts, shown);
        assertEquals(texts.get(3), alice.api().get("/api/message_groups").jsonPath().getString("find { it.uuid == '" + group + "' }.message"));

        // ...and no item holds any of them.
        List<Map<String, AttributeValue>> items = scan(tableConfig.name());
        items.addAll(scan(encryption.keyTable()));
        for (Map<String, AttributeValue> item : items) {
            String flat = flatten(AttributeValue.fromM(item));
            assertFalse(flat.contains(marker), "plaintext in " + item.get(MessagesTable.PK));
        }
        // Every text attribute of the conversation is sealed: its messages, both list entries, the idempotency record.
        List<String> stored = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String pk = item.get(MessagesTable.PK).s();
            boolean ours = pk.equals(MessageItem.partition(UUID.fromString(group)))
                    || group.equals(attribute(item, MessagesTable.MESSAGE_GROUP_UUID))
                    || pk.startsWith(IdempotencyItem.PREFIX) && pk.contains(key);
            if (ours) {
                AttributeValue text = pk.startsWith(IdempotencyItem.PREFIX)
                        ? item.get(IdempotencyItem.CREATED_MESSAGE).m().get(MessagesTable.MESSAGE)
                        : item.get(MessagesTable.MESSAGE);
                assertTrue(TextKey.isSealed(text.s()), "a string attribute holding a sealed text: " + text);
                stored.add(pk);
            }
        }
        assertEquals(4 + 2 + 1, stored.size(), "4 messages, 2 list entries and 1 idempotency record: " + stored);
    }

    @Test
    void aCiphertextMovedToAnotherMessageOrConversationDoesNotOpen() {
        String group = post(alice, Map.of("message", marker + " one", "handle", bob.handle()), null).getString("message_group_uuid");
        post(bob, Map.of("message", marker + " two", "message_group_uuid", group), null);
        TestUser carol = TestUsers.register(users, "vault");
        String other = post(alice, Map.of("message", marker + " elsewhere", "handle", carol.handle()), null)
                .getString("message_group_uuid");
        List<Map<String, AttributeValue>> messages = query(MessageItem.partition(UUID.fromString(group)));
        Map<String, AttributeValue> one = messages.get(0);
        Map<String, AttributeValue> two = messages.get(1);
        Map<String, AttributeValue> elsewhere = query(MessageItem.partition(UUID.fromString(other))).get(0);
        double before = unopened("does_not_open");

        // Message two now holds message one's ciphertext; the other conversation's message holds two's.
        put(withText(two, one.get(MessagesTable.MESSAGE)));
        put(withText(elsewhere, two.get(MessagesTable.MESSAGE)));

        List<String> shown = alice.api().get("/api/messages/" + group).jsonPath().getList("message");
        assertEquals(List.of(marker + " one", MessageView.UNAVAILABLE), shown, "the moved ciphertext is unavailable, never garbage");
        assertEquals(List.of(MessageView.UNAVAILABLE), alice.api().get("/api/messages/" + other).jsonPath().getList("message"));
        assertEquals(before + 2, unopened("does_not_open"), "each failure counted");

        // A list entry holding another conversation's last message does not open either.
        Map<String, AttributeValue> entry = query(ListEntryItem.partition(carol.uuid())).get(0);
        put(withText(entry, one.get(MessagesTable.MESSAGE)));
        assertEquals(MessageView.UNAVAILABLE, carol.api().get("/api/message_groups").jsonPath().getString("[0].message"));
    }

    @Test
    void aTextStoredBeforeSealingStillReads() {
        String group = post(alice, Map.of("message", marker + " sealed", "handle", bob.handle()), null).getString("message_group_uuid");
        Map<String, AttributeValue> sealed = query(MessageItem.partition(UUID.fromString(group))).get(0);
        Map<String, AttributeValue> plain = new HashMap<>(sealed);
        plain.put(MessagesTable.SK, AttributeValue.fromS("2020-01-01T00:00:00.000000+00:00"));
        plain.put(MessageItem.MESSAGE_UUID, AttributeValue.fromS(UUID.randomUUID().toString()));
        plain.put(MessagesTable.MESSAGE, AttributeValue.fromS("written in 2020, before texts were sealed"));
        put(plain);

        List<String> shown = bob.api().get("/api/messages/" + group).jsonPath().getList("message");

        assertEquals(List.of("written in 2020, before texts were sealed", marker + " sealed"), shown);
    }

    @Test
    void conversationsSealedByAnotherInstanceOpenInTheListAndThePage() {
        // Another instance (a keyring of its own) opens two conversations of alice's: this service has
        // neither key in memory, so the list reads both keys at once (K2) and the page one (K1).
        Keyring other = TestKeyrings.of(LocalStackTestResource.started(), dynamo);
        List<UUID> groups = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            UUID group = UUID.randomUUID();
            TestUser peer = TestUsers.register(users, "vault");
            TextKey key = other.forNewConversation(group).await().atMost(java.time.Duration.ofSeconds(10));
            MessageItem first = MessageItem.sealed(key, group, java.time.Instant.now().minusSeconds(60 - i), UUID.randomUUID(),
                    marker + " elsewhere " + i, peer.uuid(), peer.displayName(), peer.handle());
            dynamo.transactWriteItems(NewConversation.of(group, first, alice.uuid(), alice.displayName(), alice.handle())
                    .createRequest(tableConfig.name(), java.util.Optional.empty())).join();
            groups.add(group);
        }

        List<Map<String, Object>> list = alice.api().get("/api/message_groups").jsonPath().getList("$");
        for (int i = 0; i < 2; i++) {
            String group = groups.get(i).toString();
            assertEquals(marker + " elsewhere " + i, list.stream().filter(entry -> entry.get("uuid").equals(group)).findFirst()
                    .orElseThrow().get("message"));
            assertEquals(List.of(marker + " elsewhere " + i), alice.api().get("/api/messages/" + group).jsonPath().getList("message"));
        }
    }

    private JsonPath post(TestUser sender, Map<String, String> body, String idempotencyKey) {
        var request = sender.api().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/messages").then().statusCode(200).extract().jsonPath();
    }

    private double unopened(String reason) {
        return Metrics.sum(management.getPort(), "cruddur_messages_texts_unopened_total", "reason=\"" + reason + "\"");
    }

    private List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            var page = dynamo.scan(request.build()).join();
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private List<Map<String, AttributeValue>> query(String pk) {
        return dynamo.query(q -> q.tableName(tableConfig.name()).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).join().items();
    }

    private void put(Map<String, AttributeValue> item) {
        dynamo.putItem(p -> p.tableName(tableConfig.name()).item(item)).join();
    }

    private static Map<String, AttributeValue> withText(Map<String, AttributeValue> item, AttributeValue text) {
        Map<String, AttributeValue> changed = new HashMap<>(item);
        changed.put(MessagesTable.MESSAGE, text);
        return changed;
    }

    private static String attribute(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** Every value of an attribute as text: strings, numbers, binaries (as UTF-8), inside maps and lists. */
    private static String flatten(AttributeValue value) {
        StringBuilder out = new StringBuilder();
        if (value.s() != null) {
            out.append(value.s());
        }
        if (value.n() != null) {
            out.append(value.n());
        }
        if (value.b() != null) {
            out.append(new String(value.b().asByteArray(), StandardCharsets.UTF_8));
        }
        if (value.hasM()) {
            value.m().forEach((name, inner) -> out.append(name).append('=').append(flatten(inner)).append('\n'));
        }
        if (value.hasL()) {
            value.l().forEach(inner -> out.append(flatten(inner)).append('\n'));
        }
        if (value.hasSs()) {
            value.ss().forEach(out::append);
        }
        return out.toString();
    }
}
