package app.cruddur.messages.typing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Api;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Typing notices on the real Redis: they reach the other member's streams only, expire on the
 * client after expires_in, are never stored nor replayed, and a blocked pair or an outsider sends nothing.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class TypingTest {

    @Inject
    UserRepository users;

    @Inject
    DynamoDbAsyncClient dynamo;

    @Inject
    app.cruddur.messages.table.TableClient table;

    @TestHTTPResource("/api/events")
    URI events;

    @Test
    void theOtherMemberHearsOfItAndNothingIsStored() throws Exception {
        TestUser alice = TestUsers.register(users, "typist");
        TestUser bob = TestUsers.register(users, "watcher");
        String group = Api.post(bob, Map.of("message", "say something", "handle", alice.handle())).getString("message_group_uuid");
        int itemsBefore = itemsOf(alice.uuid(), bob.uuid(), group);
        // An id of this service's form from just before the notice, to resume from.
        String beforeNotice = app.cruddur.messages.table.Timestamps.format(java.time.Instant.now()) + "/m/" + group;
        try (EventStreamClient bobs = stream(bob); EventStreamClient alices = stream(alice)) {
            bobs.drain(Duration.ofMillis(300));
            assertEquals(204, alice.api().post("/api/messages/" + group + "/typing").statusCode());
            Event typing = bobs.next("typing", Duration.ofSeconds(5));
            assertNotNull(typing, "bob's stream hears alice typing");
            assertEquals(group, typing.json().path("message_group_uuid").asText());
            assertEquals(alice.uuid().toString(), typing.json().path("user_uuid").asText());
            assertEquals(alice.handle(), typing.json().path("handle").asText());
            assertEquals(5, typing.json().path("expires_in").asInt());
            assertTrue(alices.drain(Duration.ofMillis(500)).stream().noneMatch(event -> event.name().equals("typing")),
                    "the typist's own streams hear nothing of it");
            Api.post(bob, Map.of("message", "after the notice", "message_group_uuid", group));
            assertNotNull(bobs.next("message", Duration.ofSeconds(5)));
        }
        assertEquals(itemsBefore + 1, itemsOf(alice.uuid(), bob.uuid(), group), "only bob's message was stored, no notice");

        // A replay from before the notice brings back messages, never typing.
        try (EventStreamClient again = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + bob.token(),
                "Last-Event-ID", beforeNotice))) {
            List<Event> replayed = again.drain(Duration.ofSeconds(1));
            assertTrue(replayed.stream().anyMatch(event -> event.name().equals("message")), "replayed: " + replayed);
            assertTrue(replayed.stream().noneMatch(event -> event.name().equals("typing")), "replayed: " + replayed);
        }
    }

    @Test
    void aBlockedPairAndAnOutsiderSendNothing() throws Exception {
        TestUser alice = TestUsers.register(users, "typist");
        TestUser bob = TestUsers.register(users, "watcher");
        TestUser carol = TestUsers.register(users, "outsider");
        String group = Api.post(bob, Map.of("message", "hi", "handle", alice.handle())).getString("message_group_uuid");
        assertEquals(204, bob.api().post("/api/users/@" + alice.handle() + "/block").statusCode());
        try (EventStreamClient bobs = stream(bob)) {
            problem(alice.api().post("/api/messages/" + group + "/typing"), 403, "recipient_unavailable");
            problem(bob.api().post("/api/messages/" + group + "/typing"), 403, "recipient_unavailable");
            problem(carol.api().post("/api/messages/" + group + "/typing"), 404, "message_group_not_found");
            problem(alice.api().post("/api/messages/" + UUID.randomUUID() + "/typing"), 404, "message_group_not_found");
            assertTrue(bobs.drain(Duration.ofMillis(700)).stream().noneMatch(event -> event.name().equals("typing")));
        }
    }

    private EventStreamClient stream(TestUser user) throws Exception {
        return EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + user.token()));
    }

    /** Items of the table whose key names the conversation or one of the two users. */
    private int itemsOf(UUID a, UUID b, String group) {
        int count = 0;
        java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
        do {
            var page = dynamo.scan(ScanRequest.builder().tableName(table.table()).consistentRead(true).exclusiveStartKey(start).build()).join();
            count += (int) page.items().stream().map(item -> item.get("pk").s())
                    .filter(pk -> pk.contains(group) || pk.contains(a.toString()) || pk.contains(b.toString())).count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static void problem(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals(code, response.jsonPath().getString("code"));
    }
}
