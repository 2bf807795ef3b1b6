package app.cruddur.messages.block;

import app.cruddur.messages.table.PairItem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Api;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Blocking against the real table and Redis: a block stops new messages both ways, by handle and
 * by conversation, into existing and new conversations, with nothing stored; both still read
 * their history; blocking and unblocking are idempotent, and the rules' mistakes are 422s.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class BlockingTest {

    @Inject
    UserRepository users;

    @Inject
    TableClient table;

    @TestHTTPResource("/api/events")
    URI events;

    @Test
    void aBlockStopsMessagesBothWaysUntilItIsLifted() {
        TestUser alice = TestUsers.register(users, "blocker");
        TestUser bob = TestUsers.register(users, "blocked");
        String group = Api.post(bob, Map.of("message", "hi alice", "handle", alice.handle())).getString("message_group_uuid");
        Api.post(alice, Map.of("message", "hi bob", "message_group_uuid", group));

        // No body and no Content-Type: nothing to describe.
        assertEquals(204, given().header("Authorization", "Bearer " + alice.token()).post(block(bob)).statusCode());
        assertEquals(204, alice.api().post(block(bob)).statusCode(), "blocking again is fine");

        refused(bob, Map.of("message", "by conversation", "message_group_uuid", group), "This user does not take messages from you.");
        refused(bob, Map.of("message", "by handle", "handle", alice.handle()), "This user does not take messages from you.");
        refused(alice, Map.of("message", "the other way", "message_group_uuid", group),
                "You blocked this user; unblock them to send them messages.");
        refused(alice, Map.of("message", "the other way by handle", "handle", bob.handle()),
                "You blocked this user; unblock them to send them messages.");
        assertEquals(List.of("hi alice", "hi bob"), texts(alice, group), "nothing refused was stored");
        assertEquals(List.of("hi alice", "hi bob"), texts(bob, group), "the blocked user still reads the history");
        assertEquals("hi bob", Api.groups(bob).get(0).get("message"), "and the lists did not move");

        List<Map<String, Object>> blocks = alice.api().get("/api/blocks").then().statusCode(200).extract().jsonPath().getList("");
        assertEquals(1, blocks.size());
        assertEquals(bob.uuid().toString(), blocks.get(0).get("uuid"));
        assertEquals(bob.handle(), blocks.get(0).get("handle"));
        assertEquals(bob.displayName(), blocks.get(0).get("display_name"));
        assertTrue(((String) blocks.get(0).get("blocked_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"));
        assertTrue(bob.api().get("/api/blocks").jsonPath().getList("").isEmpty(), "a block is the blocker's, not the blocked's");

        assertEquals(204, alice.api().delete(block(bob)).statusCode());
        assertEquals(204, alice.api().delete(block(bob)).statusCode(), "unblocking again is fine");
        assertTrue(alice.api().get("/api/blocks").jsonPath().getList("").isEmpty());
        Api.post(bob, Map.of("message", "thanks", "message_group_uuid", group));
        Api.post(alice, Map.of("message", "welcome", "handle", bob.handle()));
        assertEquals(List.of("hi alice", "hi bob", "thanks", "welcome"), texts(bob, group));
    }

    @Test
    void aBlockedUserCannotOpenAConversationWithTheBlocker() {
        TestUser alice = TestUsers.register(users, "blocker");
        TestUser bob = TestUsers.register(users, "blocked");
        assertEquals(204, alice.api().post(block(bob)).statusCode());

        refused(bob, Map.of("message", "may I?", "handle", alice.handle()), "This user does not take messages from you.");
        assertEquals(Optional.empty(), PairItem.findGroup(table, alice.uuid(), bob.uuid()).await().atMost(Duration.ofSeconds(5)));
        assertTrue(Api.groups(alice).isEmpty());
        assertTrue(Api.groups(bob).isEmpty());
    }

    @Test
    void theBlockedUsersStreamCarriesNothingFromTheBlocker() throws Exception {
        TestUser alice = TestUsers.register(users, "blocker");
        TestUser bob = TestUsers.register(users, "blocked");
        TestUser carol = TestUsers.register(users, "third");
        String group = Api.post(alice, Map.of("message", "before", "handle", bob.handle())).getString("message_group_uuid");
        try (EventStreamClient stream = EventStreamClient.connect(events, Map.of("Authorization", "Bearer " + bob.token()))) {
            assertEquals(204, alice.api().post(block(bob)).statusCode());
            refused(alice, Map.of("message", "after", "message_group_uuid", group),
                    "You blocked this user; unblock them to send them messages.");
            Api.post(carol, Map.of("message", "from carol", "handle", bob.handle()));
            List<String> seen = stream.drain(Duration.ofSeconds(2)).stream().filter(event -> event.name().equals("message"))
                    .map(event -> event.json().path("message").asText()).toList();
            assertEquals(List.of("from carol"), seen, "the stream works, and carries nothing of alice's");
        }
    }

    @Test
    void blockingYourselfOrNobodyIsA422() {
        TestUser alice = TestUsers.register(users, "blocker");
        assertRule(alice.api().post("/api/users/@" + alice.handle() + "/block"), "cannot_block_self");
        assertRule(alice.api().delete("/api/users/@" + alice.handle() + "/block"), "cannot_block_self");
        assertRule(alice.api().post("/api/users/@no-such-user-here/block"), "blocked_user_not_found");
        assertRule(alice.api().delete("/api/users/@no-such-user-here/block"), "blocked_user_not_found");
        Response noAt = alice.api().post("/api/users/" + alice.handle() + "/block");
        assertEquals(404, noAt.statusCode());
        assertEquals("not_found", noAt.jsonPath().getString("code"));
    }

    @Test
    void aBlockOfAUserWhoIsGoneIsLiftedByTheHandleItRecorded() {
        TestUser alice = TestUsers.register(users, "blocker");
        String gone = "gone" + java.util.UUID.randomUUID().toString().substring(0, 8);
        // A block of someone whose users row no longer exists.
        (new app.cruddur.messages.table.BlockItem(alice.uuid(), java.util.UUID.randomUUID(), gone, "Gone User",
                java.time.Instant.now())).put(table).await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(gone), alice.api().get("/api/blocks").jsonPath().getList("handle"));

        assertEquals(204, alice.api().delete("/api/users/@" + gone + "/block").statusCode());
        assertTrue(alice.api().get("/api/blocks").jsonPath().getList("").isEmpty());
        assertRule(alice.api().delete("/api/users/@" + gone + "/block"), "blocked_user_not_found");
        assertRule(alice.api().post("/api/users/@" + gone + "/block"), "blocked_user_not_found");
    }

    @Test
    void blockingNeedsAToken() {
        Response anonymous = given().post("/api/users/@someone/block");
        assertEquals(401, anonymous.statusCode());
        assertEquals("unauthenticated", anonymous.jsonPath().getString("code"));
        assertEquals(401, given().get("/api/blocks").statusCode());
        assertEquals(401, given().header("Authorization", "Bearer null").delete("/api/users/@someone/block").statusCode());
    }

    private static String block(TestUser user) {
        return "/api/users/@" + user.handle() + "/block";
    }

    private static void refused(TestUser sender, Map<String, String> body, String detail) {
        Response answer = sender.api().contentType(ContentType.JSON).body(body).post("/api/messages");
        assertEquals(403, answer.statusCode(), answer.asString());
        assertEquals("application/problem+json", answer.contentType());
        assertEquals("recipient_unavailable", answer.jsonPath().getString("code"));
        assertEquals(detail, answer.jsonPath().getString("detail"));
    }

    private static void assertRule(Response answer, String rule) {
        assertEquals(422, answer.statusCode(), answer.asString());
        assertEquals("validation_failed", answer.jsonPath().getString("code"));
        assertEquals(List.of(rule), answer.jsonPath().getList("errors"));
    }

    private static List<String> texts(TestUser reader, String group) {
        return Api.messages(reader, group).stream().map(message -> (String) message.get("message")).toList();
    }
}
