package app.cruddur.messages.conversation;

import static app.cruddur.messages.support.Api.groups;
import static app.cruddur.messages.support.Api.messages;
import static app.cruddur.messages.support.Api.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import app.cruddur.messages.conversation.service.PostMessage;
import app.cruddur.messages.projection.consumer.StreamConsumer;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Race;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** A retried POST with the same Idempotency-Key gets the first answer and stores nothing new. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class IdempotencyTest {

    @Inject
    UserRepository users;
    @Inject
    StreamConsumer consumer;
    @Inject
    DynamoDbAsyncClient dynamo;
    @Inject
    TableConfig tableConfig;

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void users() {
        alice = TestUsers.register(users, "alice");
        bob = TestUsers.register(users, "bob");
    }

    @Test
    void aRetriedReplyReturnsTheFirstAnswer() {
        String group = post(alice, Map.of("message", "open", "handle", bob.handle())).getString("message_group_uuid");
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("message", "only once", "message_group_uuid", group);

        Map<String, Object> first = send(alice, key, body).then().statusCode(200).extract().jsonPath().getMap("");
        Map<String, Object> retry = send(alice, key, body).then().statusCode(200).extract().jsonPath().getMap("");

        assertEquals(first, retry);
        assertEquals(List.of("open", "only once"), texts(group));
    }

    @Test
    void aRetryOfARequestThatStoppedBeforeTheListsMovedMovesThemBeforeItAnswers() {
        consumer.stop();
        try {
            String group = post(alice, Map.of("message", "open", "handle", bob.handle())).getString("message_group_uuid");
            String key = UUID.randomUUID().toString();
            // What a POST that died after storing its message (and its key), before the move, leaves behind.
            PostMessage command = PostMessage.validate("stored, then the request stopped", group, null, 1024);
            MessageItem stored = new MessageItem(UUID.fromString(group), Instant.now(), UUID.randomUUID(), command.text(),
                    alice.uuid(), alice.displayName(), alice.handle());
            IdempotencyItem record = new IdempotencyItem(alice.uuid(), key, command.fingerprint(), stored,
                    Instant.now().plusSeconds(3600));
            dynamo.transactWriteItems(stored.putOnceRequest(tableConfig.name(), record)).join();
            assertEquals("open", groups(bob).get(0).get("message"), "the lists were not moved");

            Map<String, Object> retry = send(alice, key, Map.of("message", command.text(), "message_group_uuid", group))
                    .then().statusCode(200).extract().jsonPath().getMap("");

            assertEquals(stored.messageUuid().toString(), retry.get("uuid"));
            for (TestUser member : List.of(alice, bob)) {
                assertEquals(command.text(), groups(member).get(0).get("message"));
                assertEquals(stored.sk(), groups(member).get(0).get("created_at"));
            }
            assertEquals(List.of("open", command.text()), texts(group));
        } finally {
            consumer.start();
        }
    }

    @Test
    void aRetriedFirstMessageOpensOneConversationWithOneMessage() {
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("message", "hi once", "handle", bob.handle());

        Map<String, Object> first = send(alice, key, body).then().statusCode(200).extract().jsonPath().getMap("");
        Map<String, Object> retry = send(alice, key, body).then().statusCode(200).extract().jsonPath().getMap("");

        assertEquals(first, retry);
        assertEquals(1, groups(alice).size());
        assertEquals(List.of("hi once"), texts((String) first.get("message_group_uuid")));
    }

    @Test
    void concurrentRetriesStoreOneMessage() throws Exception {
        String group = post(alice, Map.of("message", "open", "handle", bob.handle())).getString("message_group_uuid");
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("message", "retry storm", "message_group_uuid", group);
        alice.token();

        List<String> uuids = Race.of(8, i -> send(alice, key, body).then().statusCode(200).extract().path("uuid"));

        assertEquals(1, Set.copyOf(uuids).size());
        assertEquals(List.of("open", "retry storm"), texts(group));
    }

    @Test
    void reusingAKeyForAnotherRequestIsRejectedAndStoresNothing() {
        String group = post(alice, Map.of("message", "open", "handle", bob.handle())).getString("message_group_uuid");
        String key = UUID.randomUUID().toString();
        send(alice, key, Map.of("message", "first", "message_group_uuid", group)).then().statusCode(200);

        send(alice, key, Map.of("message", "different", "message_group_uuid", group)).then().statusCode(422)
                .contentType("application/problem+json").body("errors", equalTo(List.of("idempotency_key_reused")));
        assertEquals(List.of("open", "first"), texts(group));
    }

    @Test
    void keysBelongToTheirUser() {
        String group = post(alice, Map.of("message", "open", "handle", bob.handle())).getString("message_group_uuid");
        String key = "shared-key-" + UUID.randomUUID();

        String fromAlice = send(alice, key, Map.of("message", "same text", "message_group_uuid", group)).then().statusCode(200)
                .extract().path("uuid");
        String fromBob = send(bob, key, Map.of("message", "same text", "message_group_uuid", group)).then().statusCode(200)
                .extract().path("uuid");

        assertNotEquals(fromAlice, fromBob);
        assertEquals(List.of("open", "same text", "same text"), texts(group));
    }

    @Test
    void withoutAKeyEachPostIsANewMessage() {
        String group = post(alice, Map.of("message", "open", "handle", bob.handle())).getString("message_group_uuid");
        post(alice, Map.of("message", "again", "message_group_uuid", group));
        post(alice, Map.of("message", "again", "message_group_uuid", group));
        assertEquals(List.of("open", "again", "again"), texts(group));
    }

    private Response send(TestUser sender, String key, Map<String, String> body) {
        return sender.api().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/messages");
    }

    private List<Object> texts(String group) {
        return messages(alice, group).stream().map(m -> m.get("message")).toList();
    }
}
