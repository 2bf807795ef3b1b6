package app.cruddur.messages.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.support.Api;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.user.UserRepository;
import app.cruddur.messages.view.MessageView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Editing and deleting your own message on the real table, keys and Redis: what the pages, the
 * list and both members' streams show, what is stored (sealed, and gone after a delete, every copy
 * included), ETag and If-Match, the window, and the problems of every bad request.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EditAndDeleteTest {

    @Inject
    UserRepository users;

    @Inject
    TableClient table;

    @Inject
    Keyring keyring;

    @Inject
    DynamoDbAsyncClient dynamo;

    @TestHTTPResource("/api/events")
    URI events;

    @Test
    void anEditShowsEverywhereSealedAndMarked() throws Exception {
        TestUser alice = TestUsers.register(users, "editor");
        TestUser bob = TestUsers.register(users, "reader");
        JsonPath first = Api.post(alice, Map.of("message", "helo bob", "handle", bob.handle()));
        String group = first.getString("message_group_uuid");
        String at = first.getString("created_at");

        Response read = alice.api().get(path(group, at));
        assertEquals(200, read.statusCode());
        String etag = read.header("ETag");
        assertEquals("\"v0\"", etag);

        try (EventStreamClient bobs = stream(bob); EventStreamClient alices = stream(alice)) {
            Response edited = edit(alice, group, at, "hello bob", etag);
            assertEquals(200, edited.statusCode(), edited.asString());
            assertEquals("\"v1\"", edited.header("ETag"));
            assertEquals("hello bob", edited.jsonPath().getString("message"));
            assertNotNull(edited.jsonPath().getString("edited_at"));
            assertEquals(at, edited.jsonPath().getString("created_at"), "it keeps its place");

            for (EventStreamClient stream : List.of(bobs, alices)) {
                Event updated = stream.next("message_updated", Duration.ofSeconds(5));
                assertNotNull(updated, "both members' streams hear of the edit");
                assertEquals("hello bob", updated.json().path("message").asText(), "opened for the reader");
                assertEquals(at, updated.json().path("created_at").asText());
            }
        }
        Map<String, Object> shown = Api.messages(bob, group).get(0);
        assertEquals("hello bob", shown.get("message"));
        assertNotNull(shown.get("edited_at"));
        assertEquals("hello bob", Api.groups(bob).get(0).get("message"), "the list follows its last message");
        assertEquals("hello bob", Api.groups(alice).get(0).get("message"));

        String stored = rawMessage(group, at).get(MessagesTable.MESSAGE).s();
        assertTrue(stored.startsWith("c1:"), "the edit is sealed as every text is");
        assertFalse(everyItemOf(group, alice, bob).contains("hello bob"), "no plaintext anywhere");

        Response stale = edit(alice, group, at, "hello again", etag);
        assertEquals(412, stale.statusCode(), "If-Match with the version before the edit");
        assertEquals("precondition_failed", stale.jsonPath().getString("code"));
        assertEquals(200, edit(alice, group, at, "hello again", null).statusCode(), "without If-Match: on what is stored now");
    }

    @Test
    void aDeleteRemovesTheTextFromEveryCopyAndKeepsItsPlace() throws Exception {
        TestUser alice = TestUsers.register(users, "deleter");
        TestUser bob = TestUsers.register(users, "reader");
        String group = Api.post(alice, Map.of("message", "first", "handle", bob.handle())).getString("message_group_uuid");
        JsonPath secret = new JsonPath(alice.api().contentType(ContentType.JSON).header("Idempotency-Key", "delete-me-" + UUID.randomUUID())
                .body(Map.of("message", "a secret to take back", "message_group_uuid", group)).post("/api/messages").asString());
        String at = secret.getString("created_at");
        assertEquals(2, unread(bob, group));
        String sealed = rawMessage(group, at).get(MessagesTable.MESSAGE).s();
        assertTrue(everyItemOf(group, alice, bob).contains(sealed), "before: the list entries and the record hold copies");

        try (EventStreamClient bobs = stream(bob)) {
            assertEquals(204, alice.api().delete(path(group, at)).statusCode());
            Event deleted = bobs.next("message_deleted", Duration.ofSeconds(5));
            assertNotNull(deleted);
            assertEquals(MessageView.DELETED, deleted.json().path("message").asText());
            assertNotNull(deleted.json().path("deleted_at").asText(null));
        }
        assertFalse(everyItemOf(group, alice, bob).contains(sealed), "no copy of the sealed text is left: message, entries, record");
        assertEquals("", rawMessage(group, at).get(MessagesTable.MESSAGE).s());

        List<Map<String, Object>> page = Api.messages(bob, group);
        assertEquals(2, page.size(), "the tombstone keeps its place");
        assertEquals(MessageView.DELETED, page.get(1).get("message"));
        assertNotNull(page.get(1).get("deleted_at"));
        assertEquals(secret.getString("uuid"), page.get(1).get("uuid"));
        assertEquals(MessageView.DELETED, Api.groups(bob).get(0).get("message"), "the list shows the deletion");
        assertEquals(1, unread(bob, group), "a deleted message no longer counts as unread");

        assertEquals(204, alice.api().delete(path(group, at)).statusCode(), "deleting again changes nothing");
        Response editDeleted = edit(alice, group, at, "undo", null);
        assertEquals(409, editDeleted.statusCode());
        assertEquals("message_deleted", editDeleted.jsonPath().getString("code"));
    }

    @Test
    void onlyTheSenderChangesAMessageAndEveryBadRequestIsAProblem() {
        TestUser alice = TestUsers.register(users, "sender");
        TestUser bob = TestUsers.register(users, "member");
        TestUser carol = TestUsers.register(users, "outsider");
        JsonPath sent = Api.post(alice, Map.of("message", "mine", "handle", bob.handle()));
        String group = sent.getString("message_group_uuid");
        String at = sent.getString("created_at");

        problem(edit(bob, group, at, "not yours", null), 404, "message_not_found");
        problem(bob.api().delete(path(group, at)), 404, "message_not_found");
        assertEquals(200, bob.api().get(path(group, at)).statusCode(), "the other member reads it");
        problem(edit(carol, group, at, "not a member", null), 404, "message_group_not_found");
        problem(carol.api().get(path(group, at)), 404, "message_group_not_found");
        problem(edit(alice, group, "2020-01-01T00:00:00.000000+00:00", "none", null), 404, "message_not_found");
        problem(edit(alice, group, "yesterday", "none", null), 404, "message_not_found");
        Response blank = edit(alice, group, at, " \u200B ", null);
        problem(blank, 422, "validation_failed");
        assertEquals(List.of("message_blank"), blank.jsonPath().getList("errors"));
        problem(alice.api().contentType(ContentType.JSON).body("{\"message\": 7}").patch(path(group, at)), 400, "malformed_body");
        problem(alice.api().contentType("text/plain").body("new text").patch(path(group, at)), 415, "unsupported_media_type");
        assertEquals("mine", Api.messages(bob, group).get(0).get("message"), "nothing refused changed it");

        assertEquals(204, bob.api().post("/api/users/@" + alice.handle() + "/block").statusCode());
        problem(edit(alice, group, at, "after the block", null), 403, "recipient_unavailable");
        assertEquals(204, alice.api().delete(path(group, at)).statusCode(), "deleting your own stays possible");
    }

    @Test
    void aMessageOlderThanTheWindowCannotBeEdited() {
        TestUser alice = TestUsers.register(users, "sender");
        TestUser bob = TestUsers.register(users, "member");
        String group = Api.post(alice, Map.of("message", "now", "handle", bob.handle())).getString("message_group_uuid");
        UUID conversation = UUID.fromString(group);
        Instant old = Instant.now().minus(Duration.ofHours(25));
        var key = keyring.forWriting(conversation).await().atMost(Duration.ofSeconds(5));
        MessageItem.sealed(key, conversation, old, UUID.randomUUID(), "yesterday's", alice.uuid(), alice.displayName(), alice.handle())
                .put(table).await().atMost(Duration.ofSeconds(5));
        String at = Timestamps.format(Timestamps.truncate(old));
        problem(edit(alice, group, at, "too late", null), 409, "edit_window_passed");
        assertEquals(204, alice.api().delete(path(group, at)).statusCode(), "a delete has no window");
    }

    @Test
    void theProjectionMakesTheListFollowAChangeItsPostDidNotShow() {
        TestUser alice = TestUsers.register(users, "sender");
        TestUser bob = TestUsers.register(users, "member");
        JsonPath sent = Api.post(alice, Map.of("message", "original", "handle", bob.handle()));
        UUID group = UUID.fromString(sent.getString("message_group_uuid"));
        Instant at = Timestamps.require(sent.getString("created_at"));
        MessageItem stored = MessageItem.find(table, group, at).await().atMost(Duration.ofSeconds(5)).orElseThrow();
        // As if the edit's own move had failed: the message changes in the table alone.
        var key = keyring.forWriting(group).await().atMost(Duration.ofSeconds(5));
        MessageItem edited = stored.edited(key, "changed behind the list's back", Instant.now());
        assertEquals(app.cruddur.messages.table.TableClient.Outcome.WRITTEN,
                stored.revise(table, edited, List.of()).await().atMost(Duration.ofSeconds(5)));
        // The service's stream consumer reads the MODIFY from the table's stream and makes both lists follow.
        app.cruddur.messages.support.Await.until(Duration.ofSeconds(10),
                () -> "changed behind the list's back".equals(Api.groups(bob).get(0).get("message"))
                        && "changed behind the list's back".equals(Api.groups(alice).get(0).get("message")),
                () -> "the lists do not follow the change through the stream: " + Api.groups(bob));

        // Delivered again (at-least-once), the same record changes nothing and fails nothing.
        ListProjection projection = new ListProjection(table, conversation -> Uni.createFrom()
                .item(Optional.of(Set.of(alice.uuid(), bob.uuid()))), TableChanges.NONE);
        var outcome = projection.apply(List.of(new StreamChange(StreamChange.MODIFY, "seq-1", edited.toItem())))
                .await().atMost(Duration.ofSeconds(10));
        assertTrue(outcome.failedSequenceNumbers().isEmpty());
        assertEquals("changed behind the list's back", Api.groups(bob).get(0).get("message"));
        assertEquals(1, Api.groups(bob).size());
    }

    @Test
    void aResumedStreamReplaysEditsAndDeletes() throws Exception {
        TestUser alice = TestUsers.register(users, "sender");
        TestUser bob = TestUsers.register(users, "member");
        JsonPath one = Api.post(alice, Map.of("message", "one", "handle", bob.handle()));
        String group = one.getString("message_group_uuid");
        JsonPath two = Api.post(alice, Map.of("message", "two", "message_group_uuid", group));
        String resumeFrom;
        try (EventStreamClient bobs = stream(bob)) {
            Api.post(alice, Map.of("message", "three", "message_group_uuid", group));
            resumeFrom = bobs.next("message", Duration.ofSeconds(5)).id();
        }
        assertEquals(200, edit(alice, group, one.getString("created_at"), "one, edited", null).statusCode());
        assertEquals(204, alice.api().delete(path(group, two.getString("created_at"))).statusCode());
        try (EventStreamClient again = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + bob.token(),
                "Last-Event-ID", resumeFrom))) {
            List<Event> replayed = again.drain(Duration.ofSeconds(1));
            Event updated = replayed.stream().filter(e -> e.name().equals("message_updated")).findFirst().orElse(null);
            Event deleted = replayed.stream().filter(e -> e.name().equals("message_deleted")).findFirst().orElse(null);
            assertNotNull(updated, "replayed: " + replayed);
            assertEquals("one, edited", updated.json().path("message").asText());
            assertNotNull(deleted, "replayed: " + replayed);
            assertEquals(two.getString("uuid"), deleted.json().path("uuid").asText());
            assertNotEquals(updated.id(), deleted.id());
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    private EventStreamClient stream(TestUser user) throws Exception {
        return EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + user.token()));
    }

    private static String path(String group, String at) {
        return "/api/messages/" + group + "/" + at;
    }

    private static Response edit(TestUser user, String group, String at, String text, String ifMatch) {
        var request = user.api().contentType(ContentType.JSON).body(Map.of("message", text));
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.patch(path(group, at));
    }

    private static int unread(TestUser user, String group) {
        return Api.groups(user).stream().filter(row -> row.get("uuid").equals(group)).findFirst()
                .map(row -> (Integer) row.get("unread")).orElseThrow();
    }

    private Map<String, AttributeValue> rawMessage(String group, String at) {
        return dynamo.getItem(request -> request.tableName(table.table()).consistentRead(true)
                .key(Map.of(MessagesTable.PK, AttributeValue.fromS(MessageItem.partition(UUID.fromString(group))),
                        MessagesTable.SK, AttributeValue.fromS(at)))).join().item();
    }

    /** Every attribute value of every item of the table that belongs to the conversation or its members, as one string. */
    private String everyItemOf(String group, TestUser... members) {
        StringBuilder all = new StringBuilder();
        Map<String, AttributeValue> start = null;
        do {
            var page = dynamo.scan(ScanRequest.builder().tableName(table.table()).consistentRead(true).exclusiveStartKey(start).build()).join();
            for (Map<String, AttributeValue> item : page.items()) {
                String pk = item.get(MessagesTable.PK).s();
                boolean ours = pk.contains(group);
                for (TestUser member : members) {
                    ours |= pk.contains(member.uuid().toString());
                }
                if (ours) {
                    all.append(item).append('\n');
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all.toString();
    }

    private static void problem(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals("application/problem+json", response.contentType().split(";")[0]);
        assertEquals(code, response.jsonPath().getString("code"));
    }
}
