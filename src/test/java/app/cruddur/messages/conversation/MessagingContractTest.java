package app.cruddur.messages.conversation;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static app.cruddur.messages.support.Api.groups;
import static app.cruddur.messages.support.Api.messages;
import static app.cruddur.messages.support.Api.post;

import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints the Cruddur frontend calls, with real tokens against the real local stack: field names, order, formats. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class MessagingContractTest {

    /** OpenAPI is on the management interface. */
    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    UserRepository users;

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void registerUsers() {
        alice = TestUsers.register(users, "alice");
        bob = TestUsers.register(users, "bob");
    }

    @Test
    void messagingAUserOpensAConversationAndAnswersWithTheNewMessage() {
        Instant before = Instant.now();
        JsonPath created = post(alice, Map.of("message", "Hello Bob", "handle", bob.handle()));
        Instant after = Instant.now();

        assertEquals(Set.of("message_group_uuid", "uuid", "display_name", "handle", "message", "created_at"),
                created.getMap("").keySet());
        assertTrue(UUID.matcher(created.getString("message_group_uuid")).matches());
        assertTrue(UUID.matcher(created.getString("uuid")).matches());
        // The reference put the sender's user uuid here; ours is the message's own.
        assertNotEquals(alice.uuid().toString(), created.getString("uuid"));
        assertEquals(alice.handle(), created.getString("handle"));
        assertEquals(alice.displayName(), created.getString("display_name"));
        assertEquals("Hello Bob", created.getString("message"));
        assertTimestampBetween(created.getString("created_at"), before, after);

        List<Map<String, Object>> page = messages(bob, created.getString("message_group_uuid"));
        assertEquals(1, page.size());
        assertEquals(Set.of("uuid", "display_name", "handle", "message", "created_at"), page.get(0).keySet());
        assertEquals(created.getString("uuid"), page.get(0).get("uuid"));
        assertEquals(created.getString("created_at"), page.get(0).get("created_at"));
    }

    @Test
    void bothMembersSeeTheConversationWithTheOtherMemberAndTheLastMessage() {
        JsonPath created = post(alice, Map.of("message", "First words", "handle", bob.handle()));
        String group = created.getString("message_group_uuid");

        List<Map<String, Object>> aliceGroups = groups(alice);
        assertEquals(1, aliceGroups.size());
        // The frontend's five fields, and the unread count it ignores.
        assertEquals(Set.of("uuid", "display_name", "handle", "message", "created_at", "unread"), aliceGroups.get(0).keySet());
        assertEquals(Map.of("uuid", group, "display_name", bob.displayName(), "handle", bob.handle(),
                "message", "First words", "created_at", created.getString("created_at"), "unread", 0), aliceGroups.get(0));

        List<Map<String, Object>> bobGroups = groups(bob);
        assertEquals(1, bobGroups.size());
        assertEquals(Map.of("uuid", group, "display_name", alice.displayName(), "handle", alice.handle(),
                "message", "First words", "created_at", created.getString("created_at"), "unread", 1), bobGroups.get(0));
    }

    @Test
    void conversationListIsNewestReplyFirst() {
        TestUser carol = TestUsers.register(users, "carol");
        post(alice, Map.of("message", "to bob", "handle", bob.handle()));
        post(alice, Map.of("message", "to carol", "handle", carol.handle()));

        List<Map<String, Object>> list = groups(alice);
        assertEquals(List.of(carol.handle(), bob.handle()), list.stream().map(g -> g.get("handle")).toList());
    }

    @Test
    void aLaterMessageToTheSameUserInEitherDirectionReusesTheConversation() {
        String group = post(alice, Map.of("message", "one", "handle", bob.handle())).getString("message_group_uuid");
        assertEquals(group, post(alice, Map.of("message", "two", "handle", bob.handle())).getString("message_group_uuid"));
        assertEquals(group, post(bob, Map.of("message", "three", "handle", alice.handle())).getString("message_group_uuid"));

        assertEquals(1, groups(alice).size());
        assertEquals(1, groups(bob).size());
        assertEquals(List.of("one", "two", "three"), messages(alice, group).stream().map(m -> m.get("message")).toList());
    }

    @Test
    void replyingInAConversationAppendsAndThePageIsOldestFirst() {
        String group = post(alice, Map.of("message", "m1", "handle", bob.handle())).getString("message_group_uuid");
        JsonPath reply = post(bob, Map.of("message", "m2", "message_group_uuid", group));
        post(alice, Map.of("message", "m3", "message_group_uuid", group));

        assertEquals(group, reply.getString("message_group_uuid"));
        assertEquals(bob.handle(), reply.getString("handle"));
        List<Map<String, Object>> page = messages(alice, group);
        assertEquals(List.of("m1", "m2", "m3"), page.stream().map(m -> m.get("message")).toList());
        assertEquals(List.of(alice.handle(), bob.handle(), alice.handle()), page.stream().map(m -> m.get("handle")).toList());
        List<String> times = page.stream().map(m -> (String) m.get("created_at")).toList();
        assertEquals(times.stream().sorted().toList(), times);
        assertEquals(3, Set.copyOf(times).size());
    }

    @Test
    void theNewestPageHoldsTheNewestMessagesOldestFirstWithALinkToOlderOnes() {
        String group = post(alice, Map.of("message", "0", "handle", bob.handle())).getString("message_group_uuid");
        for (int i = 1; i < 25; i++) {
            post(i % 2 == 0 ? alice : bob, Map.of("message", Integer.toString(i), "message_group_uuid", group));
        }
        io.restassured.response.Response first = alice.api().get("/api/messages/" + group);
        first.then().statusCode(200).header("Link", containsString("rel=\"next\""));
        List<String> texts = first.jsonPath().getList("message");
        assertEquals(20, texts.size());
        assertEquals(List.of("5", "6", "7"), texts.subList(0, 3));
        assertEquals("24", texts.get(19));

        io.restassured.response.Response small = alice.api().queryParam("limit", 5).get("/api/messages/" + group);
        assertEquals(List.of("20", "21", "22", "23", "24"), small.jsonPath().getList("message"));
    }

    @Test
    void textRoundTripsExactly() {
        List<String> texts = List.of(
                "emoji 👩🏽‍🚀🚀 and flags 🇺🇦🇯🇵",
                "עברית מימין לשמאל and العربية",
                "combining: e\u0301 a\u0308 Z\u0335\u0327",
                "quotes \" ' ` and backslash \\ and <script>alert('x')</script> &amp;",
                "  leading and trailing spaces  ",
                "line one\nline two\r\n\ttabbed",
                "{\"json\": [1, 2]} ${jndi:ldap://x} '; DROP TABLE users; --");
        String group = post(alice, Map.of("message", texts.get(0), "handle", bob.handle())).getString("message_group_uuid");
        for (String text : texts.subList(1, texts.size())) {
            assertEquals(text, post(bob, Map.of("message", text, "message_group_uuid", group)).getString("message"));
        }
        assertEquals(texts, messages(alice, group).stream().map(m -> m.get("message")).toList());
        // The conversation list comes to show the last text, through the stream, unchanged too.
        String last = texts.get(texts.size() - 1);
        Await.until(Duration.ofSeconds(2), () -> last.equals(groups(alice).get(0).get("message")),
                () -> "list shows " + groups(alice).get(0).get("message"));
    }

    @Test
    void aThousandAndTwentyFourEmojiAreOneThousandAndTwentyFourCharacters() {
        String longest = "🙂".repeat(1024);
        assertEquals(longest, post(alice, Map.of("message", longest, "handle", bob.handle())).getString("message"));
    }

    @Test
    void shortProfileByHandle() {
        alice.api().get("/api/users/@" + bob.handle() + "/short").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("uuid", equalTo(bob.uuid().toString()))
                .body("handle", equalTo(bob.handle()))
                .body("display_name", equalTo(bob.displayName()));
        assertEquals(Set.of("uuid", "handle", "display_name"),
                alice.api().get("/api/users/@" + bob.handle() + "/short").jsonPath().getMap("").keySet());
    }

    @Test
    void shortProfileOfAnUnknownHandleIs404() {
        alice.api().get("/api/users/@nobody-here-" + System.nanoTime() + "/short").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("user_not_found"));
        alice.api().get("/api/users/@%27%20OR%20%271%27=%271/short").then().statusCode(404)
                .body("code", equalTo("user_not_found"));
    }

    @Test
    void everyMessagingEndpointNeedsAToken() {
        RestAssured.given().get("/api/message_groups").then().statusCode(401);
        RestAssured.given().get("/api/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("message", "x", "handle", bob.handle()))
                .post("/api/messages").then().statusCode(401);
        RestAssured.given().get("/api/me").then().statusCode(401);
        assertEquals(0, groups(bob).size());
    }

    @Test
    void corsAllowsTheFrontendOriginWithAuthorizationAndContentType() {
        RestAssured.given()
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/messages")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Headers", containsString("Content-Type"));

        alice.api().header("Origin", "http://localhost:3000").get("/api/message_groups").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Expose-Headers", containsString("Link"));
    }

    @Test
    void corsRefusesOtherOrigins() {
        io.restassured.response.Response response = RestAssured.given()
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/messages");
        assertNull(response.getHeader("Access-Control-Allow-Origin"));
    }

    @Test
    void openApiDocumentsEveryEndpointWithItsErrors() {
        JsonPath doc = RestAssured.given().port(management.getPort()).accept(ContentType.JSON).get("/q/openapi?format=json").jsonPath();
        assertFalse(doc.getMap("paths").isEmpty());
        assertEquals(Set.of("200", "401", "403", "422", "503"), doc.getMap("paths.'/api/message_groups'.get.responses").keySet());
        assertEquals(Set.of("200", "401", "403", "404", "422", "503"),
                doc.getMap("paths.'/api/messages/{message_group_uuid}'.get.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404", "409", "413", "415", "422", "429", "503"),
                doc.getMap("paths.'/api/messages'.post.responses").keySet());
        assertEquals(Set.of("200", "401", "404", "429", "503"), doc.getMap("paths.'/api/users/{at_handle}/short'.get.responses").keySet());
        assertEquals(Set.of("204", "401", "403", "404", "422", "429", "503"),
                doc.getMap("paths.'/api/users/{at_handle}/block'.post.responses").keySet());
        assertEquals(Set.of("204", "401", "403", "404", "422", "429", "503"),
                doc.getMap("paths.'/api/users/{at_handle}/block'.delete.responses").keySet());
        assertEquals(Set.of("200", "401", "403", "429", "503"), doc.getMap("paths.'/api/blocks'.get.responses").keySet());
        // Read markers, edit and delete, typing.
        String marker = "paths.'/api/messages/{message_group_uuid}/read_marker'";
        assertEquals(Set.of("200", "401", "403", "404", "429", "503"), doc.getMap(marker + ".get.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404", "413", "415", "422", "429", "503"), doc.getMap(marker + ".put.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404", "409", "413", "415", "422", "429", "503"),
                doc.getMap("paths.'/api/messages/{message_group_uuid}/mark_unread'.post.responses").keySet());
        assertEquals(Set.of("200", "401", "403", "429", "503"), doc.getMap("paths.'/api/unread'.get.responses").keySet());
        String message = "paths.'/api/messages/{message_group_uuid}/{created_at}'";
        assertEquals(Set.of("200", "401", "403", "404", "503"), doc.getMap(message + ".get.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "429", "503"),
                doc.getMap(message + ".patch.responses").keySet());
        assertEquals(Set.of("204", "401", "403", "404", "412", "429", "503"), doc.getMap(message + ".delete.responses").keySet());
        assertEquals(Set.of("204", "401", "403", "404", "429", "503"),
                doc.getMap("paths.'/api/messages/{message_group_uuid}/typing'.post.responses").keySet());
        // A 429 says which headers tell the client when to come back.
        for (String path : List.of("paths.'/api/messages'.post", "paths.'/api/users/{at_handle}/short'.get", "paths.'/api/events/ticket'.post",
                "paths.'/api/users/{at_handle}/block'.post", "paths.'/api/users/{at_handle}/block'.delete", "paths.'/api/blocks'.get")) {
            assertEquals(Set.of("Retry-After", "RateLimit-Policy", "RateLimit"), doc.getMap(path + ".responses.'429'.headers").keySet(), path);
        }
        // The public profile needs no token (one empty requirement); everything else needs the Cognito token.
        assertEquals(List.of(Map.of()), doc.getList("paths.'/api/users/{at_handle}/short'.get.security"));
        for (String operation : List.of("'/api/message_groups'.get", "'/api/messages/{message_group_uuid}'.get",
                "'/api/messages'.post", "'/api/me'.get")) {
            assertEquals(List.of(Map.of("cognito", List.of())), doc.getList("paths." + operation + ".security"), operation);
        }
        assertTrue(doc.getMap("components.schemas.Problem.properties").containsKey("errors"));
        assertEquals(List.of("header"), doc.getList("paths.'/api/messages'.post.parameters.findAll { it.name == 'Idempotency-Key' }.in"));
    }

    private static void assertTimestampBetween(String value, Instant before, Instant after) {
        assertTrue(TIMESTAMP.matcher(value).matches(), value);
        Instant at = OffsetDateTime.parse(value).toInstant();
        assertFalse(at.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MICROS)), value + " before " + before);
        assertFalse(at.isAfter(after), value + " is in the future of " + after);
        assertTrue(Duration.between(before, at).toSeconds() < 5);
    }
}
