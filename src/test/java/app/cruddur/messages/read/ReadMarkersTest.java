package app.cruddur.messages.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.projection.ListProjection;
import app.cruddur.messages.projection.StreamChange;
import app.cruddur.messages.support.Api;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Race;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Read markers and unread counts on the real table and Redis: counts on the list and in the totals,
 * marking read (forward only, to a message or the newest, shared or private), marking unread, the
 * other member's "Seen", the {@code read} events on both members' streams and in a replay, the
 * rules' problems, and counts that stay exact under redelivered stream records, a burst, and marks
 * racing posts.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ReadMarkersTest {

    @Inject
    UserRepository users;

    @Inject
    TableClient table;

    @TestHTTPResource("/api/events")
    URI events;

    @Test
    void theListCountsTheOtherMembersMessagesAfterYourMarker() {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        String group = Api.post(bob, Map.of("message", "one", "handle", alice.handle())).getString("message_group_uuid");
        Api.post(bob, Map.of("message", "two", "message_group_uuid", group));
        Api.post(bob, Map.of("message", "three", "message_group_uuid", group));

        assertEquals(3, unread(alice, group), "three of bob's messages, none read");
        assertEquals(0, unread(bob, group), "the sender has read his own");
        assertEquals(Map.of("conversations", 1, "messages", 3), totals(alice));

        Api.post(alice, Map.of("message", "hi bob", "message_group_uuid", group));
        assertEquals(0, unread(alice, group), "replying moves your marker to your message");
        assertEquals(1, unread(bob, group));
        assertEquals(Map.of("conversations", 0, "messages", 0), totals(alice));
    }

    @Test
    void markingReadMovesForwardOnlyAndMarkingUnreadSetsItBack() {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        String group = Api.post(bob, Map.of("message", "one", "handle", alice.handle())).getString("message_group_uuid");
        String second = Api.post(bob, Map.of("message", "two", "message_group_uuid", group)).getString("created_at");
        String third = Api.post(bob, Map.of("message", "three", "message_group_uuid", group)).getString("created_at");

        JsonPath marked = markRead(alice, group, Map.of("read_through", second)).then().statusCode(200).extract().jsonPath();
        assertEquals(second, marked.getString("read_through"));
        assertEquals(1, marked.getInt("unread"));
        assertEquals(1, unread(alice, group));

        String first = Api.messages(alice, group).get(0).get("created_at").toString();
        assertEquals(second, markRead(alice, group, Map.of("read_through", first)).jsonPath().getString("read_through"),
                "never backward");

        JsonPath all = markRead(alice, group, null).then().statusCode(200).extract().jsonPath();
        assertEquals(third, all.getString("read_through"), "by default, the newest");
        assertEquals(0, all.getInt("unread"));

        JsonPath unread = alice.api().contentType(ContentType.JSON).body(Map.of("from", second))
                .post("/api/messages/" + group + "/mark_unread").then().statusCode(200).extract().jsonPath();
        assertEquals(2, unread.getInt("unread"), "two and three show unread again");
        assertEquals(2, unread(alice, group));

        markRead(alice, group, null);
        JsonPath latest = alice.api().contentType(ContentType.JSON).body("{}").post("/api/messages/" + group + "/mark_unread").then().statusCode(200).extract().jsonPath();
        assertEquals(1, latest.getInt("unread"), "by default, from the other member's newest");
        assertEquals(third, latest.getString("shared_read_through"), "what bob sees does not move back");
    }

    @Test
    void theOtherMemberSeesASharedMarkerAndNeverAPrivateOne() throws Exception {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        String group = Api.post(bob, Map.of("message", "one", "handle", alice.handle())).getString("message_group_uuid");
        String second = Api.post(bob, Map.of("message", "two", "message_group_uuid", group)).getString("created_at");
        assertNull(marker(bob, group).getString("other_read_through"), "alice has shared nothing yet");

        try (EventStreamClient bobs = stream(bob); EventStreamClient alices = stream(alice)) {
            markRead(alice, group, Map.of("read_through", second, "private", true)).then().statusCode(200);
            Event own = alices.next("read", Duration.ofSeconds(5));
            assertNotNull(own, "alice's own streams hear of a private read too");
            assertEquals(second, own.json().path("read_through").asText());
            assertEquals(0, own.json().path("unread").asInt());
            assertTrue(bobs.drain(Duration.ofMillis(700)).stream().noneMatch(event -> event.name().equals("read")),
                    "bob hears nothing of a private read");
            assertNull(marker(bob, group).getString("other_read_through"));

            markRead(alice, group, Map.of("read_through", second)).then().statusCode(200);
            Event seen = bobs.next("read", Duration.ofSeconds(5));
            assertNotNull(seen, "a shared receipt reaches bob's stream");
            assertEquals(alice.uuid().toString(), seen.json().path("user_uuid").asText());
            assertEquals(group, seen.json().path("message_group_uuid").asText());
            assertEquals(second, seen.json().path("read_through").asText());
            assertTrue(seen.json().path("unread").isMissingNode(), "alice's count is hers alone");
            assertEquals(second, marker(bob, group).getString("other_read_through"));

            // A reconnect after the first message event replays the read events since.
            String resumeFrom = own.id();
            try (EventStreamClient again = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + alice.token(),
                    "Last-Event-ID", resumeFrom))) {
                List<Event> replayed = again.drain(Duration.ofSeconds(1));
                assertTrue(replayed.stream().anyMatch(event -> event.name().equals("read")
                        && event.json().path("read_through").asText().equals(second) && !event.id().equals(own.id())),
                        "the replay has the second read event: " + replayed);
            }
        }
    }

    @Test
    void badInputGetsAProblem() {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        TestUser carol = TestUsers.register(users, "outsider");
        String group = Api.post(alice, Map.of("message", "one", "handle", bob.handle())).getString("message_group_uuid");

        problem(markRead(carol, group, null), 404, "message_group_not_found");
        problem(carol.api().get("/api/messages/" + group + "/read_marker"), 404, "message_group_not_found");
        problem(markRead(bob, UUID.randomUUID().toString(), null), 404, "message_group_not_found");
        problem(markRead(bob, "not-a-uuid", null), 404, "message_group_not_found");
        problem(markRead(bob, group, Map.of("read_through", "2026-01-01T00:00:00.000000+00:00")), 404, "message_not_found");
        Response invalid = markRead(bob, group, Map.of("read_through", "yesterday"));
        problem(invalid, 422, "validation_failed");
        assertEquals(List.of("invalid_read_through"), invalid.jsonPath().getList("errors"));
        problem(markRead(bob, group, Map.of("private", "yes")), 400, "malformed_body");
        problem(markRead(bob, group, Map.of("read_through", 42)), 400, "malformed_body");
        problem(bob.api().contentType("text/plain").body("all of it").put("/api/messages/" + group + "/read_marker"), 415,
                "unsupported_media_type");
        problem(bob.api().contentType(ContentType.JSON).body("{\"read_through\":\"" + "x".repeat(70_000) + "\"}")
                .put("/api/messages/" + group + "/read_marker"), 413, "body_too_large");
        problem(alice.api().contentType(ContentType.JSON).body("{}").post("/api/messages/" + group + "/mark_unread"), 409, "nothing_to_mark_unread");
        problem(alice.api().contentType(ContentType.JSON).body("[]").post("/api/messages/" + group + "/mark_unread"), 400, "malformed_body");
        Response badFrom = alice.api().contentType(ContentType.JSON).body(Map.of("from", "soon")).post("/api/messages/" + group + "/mark_unread");
        problem(badFrom, 422, "validation_failed");
        assertEquals(List.of("invalid_unread_from"), badFrom.jsonPath().getList("errors"));
        assertEquals(1, unread(bob, group), "nothing refused changed a marker");
    }

    @Test
    void redeliveredAndReorderedStreamRecordsCountEachMessageOnce() {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        String group = Api.post(bob, Map.of("message", "one", "handle", alice.handle())).getString("message_group_uuid");
        for (int i = 0; i < 4; i++) {
            Api.post(bob, Map.of("message", "more " + i, "message_group_uuid", group));
        }
        List<MessageItem> stored = MessageItem.pageMessages(table, UUID.fromString(group), Optional.empty(), 50)
                .await().atMost(Duration.ofSeconds(5)).items();
        assertEquals(5, unread(alice, group));

        // The stream delivers every record again, twice, newest first: the counts stay.
        ListProjection projection = new ListProjection(table, conversation -> io.smallrye.mutiny.Uni.createFrom()
                .item(Optional.of(Set.of(alice.uuid(), bob.uuid()))), TableChanges.NONE);
        List<StreamChange> records = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (MessageItem message : stored) {
                records.add(new StreamChange(StreamChange.INSERT, "seq-" + round + "-" + message.sk(), message.toItem()));
            }
        }
        for (StreamChange record : records) {
            projection.apply(List.of(record)).await().atMost(Duration.ofSeconds(10));
        }
        projection.apply(records).await().atMost(Duration.ofSeconds(10));
        assertEquals(5, unread(alice, group));
        assertEquals(0, unread(bob, group));
    }

    @Test
    void aBurstOfAHundredAndMoreCountsAsAHundred() throws Exception {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        String group = Api.post(bob, Map.of("message", "one", "handle", alice.handle())).getString("message_group_uuid");
        Race.of(6, i -> {
            for (int n = 0; n < 18; n++) {
                Api.post(bob, Map.of("message", "burst " + i + "." + n, "message_group_uuid", group));
            }
            return null;
        });
        assertEquals(100, unread(alice, group), "109 unread messages show as 100, meaning 100 or more");
        assertEquals(Map.of("conversations", 1, "messages", 100), totals(alice));

        // Read through the hundredth newest: exactly 99 remain, and the count says so.
        List<MessageItem> newest = MessageItem.pageMessages(table, UUID.fromString(group), Optional.empty(), 100)
                .await().atMost(Duration.ofSeconds(5)).items();
        String hundredth = app.cruddur.messages.table.Timestamps.format(newest.get(99).createdAt());
        assertEquals(99, markRead(alice, group, Map.of("read_through", hundredth)).jsonPath().getInt("unread"));
        assertEquals(99, unread(alice, group));
    }

    @Test
    void marksRacingPostsLoseNoMessage() throws Exception {
        TestUser alice = TestUsers.register(users, "reader");
        TestUser bob = TestUsers.register(users, "writer");
        String group = Api.post(bob, Map.of("message", "one", "handle", alice.handle())).getString("message_group_uuid");
        // Bob posts while alice marks read again and again: whatever the order, her count ends equal
        // to bob's messages after her final marker.
        Race.of(2, i -> {
            for (int n = 0; n < 12; n++) {
                if (i == 0) {
                    Api.post(bob, Map.of("message", "race " + n, "message_group_uuid", group));
                } else {
                    markRead(alice, group, null).then().statusCode(200);
                }
            }
            return null;
        });
        JsonPath marker = marker(alice, group);
        long after = Api.messages(alice, group).stream()
                .filter(message -> message.get("created_at").toString().compareTo(marker.getString("read_through")) > 0)
                .count();
        assertEquals(after, marker.getInt("unread"), "the count is what came after the marker");
        assertEquals(after, unread(alice, group));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private EventStreamClient stream(TestUser user) throws Exception {
        return EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + user.token()));
    }

    private static Response markRead(TestUser user, String group, Map<String, ?> body) {
        var request = user.api();
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.put("/api/messages/" + group + "/read_marker");
    }

    private static JsonPath marker(TestUser user, String group) {
        return user.api().get("/api/messages/" + group + "/read_marker").then().statusCode(200).extract().jsonPath();
    }

    private static int unread(TestUser user, String group) {
        return Api.groups(user).stream().filter(row -> row.get("uuid").equals(group)).findFirst()
                .map(row -> (Integer) row.get("unread")).orElseThrow();
    }

    private static Map<String, Object> totals(TestUser user) {
        return user.api().get("/api/unread").then().statusCode(200).extract().jsonPath().getMap("");
    }

    private static void problem(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals("application/problem+json", response.contentType().split(";")[0]);
        assertEquals(code, response.jsonPath().getString("code"));
    }
}
