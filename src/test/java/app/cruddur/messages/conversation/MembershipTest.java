package app.cruddur.messages.conversation;

import static app.cruddur.messages.support.Api.messages;
import static app.cruddur.messages.support.Api.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only the two members of a conversation can read it or post into it; everyone else sees "no such conversation". */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class MembershipTest {

    @Inject
    UserRepository users;

    private TestUser alice;
    private TestUser bob;
    private TestUser mallory;
    private String group;

    @BeforeEach
    void conversationOfAliceAndBob() {
        alice = TestUsers.register(users, "alice");
        bob = TestUsers.register(users, "bob");
        mallory = TestUsers.register(users, "mallory");
        group = post(alice, Map.of("message", "private", "handle", bob.handle())).getString("message_group_uuid");
    }

    @Test
    void aThirdUserCannotReadIt() {
        Response response = mallory.api().get("/api/messages/" + group);
        assertSameAsUnknownConversation(response);
    }

    @Test
    void aThirdUserCannotPostIntoItAndNothingIsStored() {
        Response response = mallory.api().contentType(ContentType.JSON)
                .body(Map.of("message", "let me in", "message_group_uuid", group)).post("/api/messages");
        assertSameAsUnknownConversation(response);
        assertEquals(List.of("private"), messages(alice, group).stream().map(m -> m.get("message")).toList());
        mallory.api().get("/api/message_groups").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aThirdUserCannotPageThroughItWithACursor() {
        Response response = mallory.api().queryParam("cursor", "MjAyNi0xMS0yNFQwMToxODoyMy41NDQ5MTIrMDA6MDA")
                .get("/api/messages/" + group);
        assertSameAsUnknownConversation(response);
    }

    @Test
    void unknownAndMalformedIdsGetTheSameAnswer() {
        assertSameAsUnknownConversation(alice.api().get("/api/messages/" + UUID.randomUUID()));
        assertSameAsUnknownConversation(alice.api().get("/api/messages/not-a-uuid"));
        assertSameAsUnknownConversation(alice.api().get("/api/messages/" + group.toUpperCase() + "0"));
        assertSameAsUnknownConversation(alice.api().contentType(ContentType.JSON)
                .body(Map.of("message", "hi", "message_group_uuid", UUID.randomUUID().toString())).post("/api/messages"));
    }

    @Test
    void theMembersCanReadAndPost() {
        bob.api().contentType(ContentType.JSON).body(Map.of("message", "reply", "message_group_uuid", group))
                .post("/api/messages").then().statusCode(200);
        assertEquals(List.of("private", "reply"), messages(alice, group).stream().map(m -> m.get("message")).toList());
        assertEquals(List.of("private", "reply"), messages(bob, group).stream().map(m -> m.get("message")).toList());
    }

    private static void assertSameAsUnknownConversation(Response response) {
        response.then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("message_group_not_found"))
                .body("detail", equalTo("No such conversation."));
    }
}
