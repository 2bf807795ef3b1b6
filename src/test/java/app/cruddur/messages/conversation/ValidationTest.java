package app.cruddur.messages.conversation;

import static app.cruddur.messages.support.Api.groups;
import static app.cruddur.messages.support.Api.messages;
import static app.cruddur.messages.support.Api.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RawHttp;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every client mistake is a 4xx problem with a code, never a 5xx, and stores nothing. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ValidationTest {

    @Inject
    UserRepository users;

    private TestUser alice;
    private TestUser bob;
    private String group;

    @BeforeEach
    void conversation() {
        alice = TestUsers.register(users, "alice");
        bob = TestUsers.register(users, "bob");
        group = post(alice, Map.of("message", "hello", "handle", bob.handle())).getString("message_group_uuid");
    }

    @Test
    void messagesOfUnicodeWhiteSpaceAndInvisibleCharactersOnlyAreBlank() {
        StringBuilder all = new StringBuilder();
        for (String blank : List.of("\u0085", "\u00A0", "\u1680", "\u180E", "\u2000", "\u2001", "\u2002", "\u2003",
                "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u200B", "\u200C", "\u200D",
                "\u2028", "\u2029", "\u202F", "\u205F", "\u2060", "\u3000", "\u3164", "\uFEFF", "\u00AD",
                "\u001C\u001D\u001E\u001F")) {
            rejected(body("message", blank, "message_group_uuid", group), "message_blank");
            all.append(blank);
        }
        rejected(body("message", " \t\n" + all, "message_group_uuid", group), "message_blank");
        assertNothingStored();
    }

    @Test
    void blankMessages() {
        for (String blank : List.of("", " ", "   \t\n", "\u00A0\u2003\u3000", "\u200B")) {
            rejected(body("message", blank, "message_group_uuid", group), "message_blank");
        }
        rejected(body("message_group_uuid", group), "message_blank");
        rejected(body("message", null, "message_group_uuid", group), "message_blank");
        assertNothingStored();
    }

    @Test
    void messageOverTheLimit() {
        rejected(body("message", "a".repeat(1025), "message_group_uuid", group), "message_exceed_max_chars");
        rejected(body("message", "🙂".repeat(1025), "handle", bob.handle()), "message_exceed_max_chars");
        assertNothingStored();
    }

    @Test
    void loneSurrogate() {
        String json = "{\"message\":\"half \\ud83d emoji\",\"message_group_uuid\":\"" + group + "\"}";
        rejectedRaw(json, "message_invalid_unicode");
        assertNothingStored();
    }

    @Test
    void recipientProblems() {
        rejected(body("message", "hi", "message_group_uuid", ""), "message_group_uuid_blank");
        rejected(body("message", "hi", "message_group_uuid", "   "), "message_group_uuid_blank");
        rejected(body("message", "hi", "handle", ""), "user_receiver_handle_blank");
        rejected(body("message", "hi", "handle", "  "), "user_receiver_handle_blank");
        rejected(body("message", "hi"), "user_receiver_handle_blank");
        rejected(body("message", "hi", "message_group_uuid", group, "handle", bob.handle()), "recipient_ambiguous");
        assertNothingStored();
    }

    @Test
    void invalidUuids() {
        for (String bad : List.of("nope", "5ae290ed-55d1-47a0-bc6d", "5ae290ed55d147a0bc6dfe2bc2700399",
                "5ae290ed-55d1-47a0-bc6d-fe2bc2700399-00", "{5ae290ed-55d1-47a0-bc6d-fe2bc2700399}", "1-1-1-1-1",
                "' OR 1=1 --", "MSG#" + group)) {
            rejected(body("message", "hi", "message_group_uuid", bad), "invalid_message_group_uuid");
        }
        assertNothingStored();
    }

    @Test
    void unknownReceivers() {
        for (String handle : List.of("nobody-" + System.nanoTime(), "' OR '1'='1", "bob'; DROP TABLE users; --",
                "${jndi:ldap://x/a}", "<script>", "x".repeat(5000), "nul\u0000byte", "%00", "../../etc/passwd",
                bob.handle().toUpperCase())) {
            rejected(body("message", "hi", "handle", handle), "user_receiver_not_found");
        }
        assertNothingStored();
    }

    @Test
    void messagingYourself() {
        rejected(body("message", "hi me", "handle", alice.handle()), "cannot_message_self");
        assertEquals(1, groups(alice).size());
    }

    @Test
    void allBrokenRulesAreReportedTogether() {
        Response response = send(body("message", " ", "message_group_uuid", "nope"));
        response.then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("errors", equalTo(List.of("message_blank", "invalid_message_group_uuid")));
    }

    @Test
    void garbageBodies() {
        for (String garbage : List.of("not json", "{", "{\"message\":", "[]", "[{\"message\":\"x\"}]", "\"just a string\"",
                "42", "{\"message\":\"x\"} trailing", "{\"message\": 5, \"handle\": \"x\"}",
                "{\"message\": true, \"message_group_uuid\": \"" + group + "\"}",
                "{\"message\": {\"nested\": 1}, \"handle\": \"x\"}", "{\"message\": [\"a\"], \"handle\": \"x\"}",
                "{\"message\": \"x\", \"message_group_uuid\": 123}", "{\"message\": \"x\", \"handle\": [1]}",
                "{\"message\": \"x\", \"handle\": null, \"message_group_uuid\": {}}")) {
            alice.api().contentType(ContentType.JSON).body(garbage).post("/api/messages")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("malformed_body"));
        }
        for (String empty : List.of("", "null")) {
            alice.api().contentType(ContentType.JSON).body(empty).post("/api/messages")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("malformed_body"));
        }
        assertNothingStored();
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNotDecoded() {
        String into = "\",\"message_group_uuid\":\"" + group + "\"}";
        byte[] overlongLessThan = {(byte) 0xC0, (byte) 0xBC};
        List<byte[]> bodies = List.of(
                // '<' as overlong two-, three- and four-byte forms: a lenient decoder reads "<script>".
                bytes("{\"message\":\"", overlongLessThan, "script>alert(1)", overlongLessThan, "/script>" + into),
                bytes("{\"message\":\"", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xBC}, "script>" + into),
                bytes("{\"message\":\"", new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xBC}, "script>" + into),
                // NUL in two bytes ("modified UTF-8"), and an emoji as two encoded surrogates (CESU-8).
                bytes("{\"message\":\"nul", new byte[] {(byte) 0xC0, (byte) 0x80}, into),
                bytes("{\"message\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8,
                        (byte) 0x82}, into),
                // Beyond U+10FFFF; a five-byte form; stray and impossible bytes; a sequence cut short.
                bytes("{\"message\":\"", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, into),
                bytes("{\"message\":\"", new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, into),
                bytes("{\"message\":\"a", new byte[] {(byte) 0x80}, "b" + into),
                bytes("{\"message\":\"a", new byte[] {(byte) 0xFF}, "b" + into),
                bytes("{\"message\":\"euro ", new byte[] {(byte) 0xE2, (byte) 0x82}, into),
                // In field names: a known name spelt with an overlong 'e', and stray bytes in an unknown one.
                bytes("{\"messag", new byte[] {(byte) 0xC1, (byte) 0xA5}, "\":\"hi" + into),
                bytes("{\"note", new byte[] {(byte) 0x80, (byte) 0xFE}, "\":\"x\",\"message\":\"hi" + into));
        for (byte[] body : bodies) {
            alice.api().contentType(ContentType.JSON).body(body).post("/api/messages")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("malformed_body"));
        }
        assertNothingStored();
        // Well-formed UTF-8 of every length passes, and is stored as sent.
        String text = "caf\u00e9 \u20ac \u65e5\u672c \ud83d\ude42";
        alice.api().contentType(ContentType.JSON).body(bytes("{\"message\":\"" + text + into)).post("/api/messages")
                .then().statusCode(200).body("message", equalTo(text));
        assertEquals(text, messages(bob, group).get(1).get("message"));
    }

    @Test
    void duplicateKeysAreRefusedNotResolved() {
        for (String json : List.of(
                "{\"message\":\"hi\",\"message\":\"bye\",\"message_group_uuid\":\"" + group + "\"}",
                "{\"message\":\"hi\",\"message_group_uuid\":\"" + group + "\",\"message_group_uuid\":\"" + group + "\"}",
                "{\"message\":\"hi\",\"mess\\u0061ge\":\"bye\",\"message_group_uuid\":\"" + group + "\"}",
                "{\"message\":\"hi\",\"message_group_uuid\":\"" + group + "\",\"extra\":1,\"extra\":2}",
                "{\"message\":\"hi\",\"message_group_uuid\":\"" + group + "\",\"extra\":{\"a\":1,\"a\":1}}")) {
            alice.api().contentType(ContentType.JSON).body(json).post("/api/messages")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("malformed_body"));
        }
        assertNothingStored();
    }

    @Test
    void aPostNeedsExactlyOneContentType() {
        byte[] json = ("{\"message\":\"hi\",\"message_group_uuid\":\"" + group + "\"}").getBytes(StandardCharsets.UTF_8);
        for (String contentType : List.of("", "Content-Type: application/json\r\nContent-Type: application/json\r\n",
                "Content-Type: application/json\r\nContent-Type: text/plain\r\n",
                "Content-Type: text/plain\r\nContent-Type: application/json\r\n",
                "Content-Type: application/json, text/plain\r\n", "Content-Type:\r\n")) {
            RawHttp.Answer answer = rawPost(contentType, json);
            assertEquals(415, answer.status(), contentType + answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertEquals("unsupported_media_type", JsonPath.from(answer.body()).getString("code"));
        }
        assertEquals(415, rawPost("", new byte[0]).status(), "no body and no Content-Type");
        assertNothingStored();
        assertEquals(200, rawPost("Content-Type: application/json\r\n", json).status(), "the same POST with one");
    }

    @Test
    void anEmptyOrRepeatedIdempotencyKeyIsRefusedNotIgnored() {
        byte[] json = ("{\"message\":\"hi\",\"message_group_uuid\":\"" + group + "\"}").getBytes(StandardCharsets.UTF_8);
        for (String header : List.of("Idempotency-Key:\r\n", "Idempotency-Key: \r\n", "Idempotency-Key:   \t \r\n",
                "Idempotency-Key: a\r\nIdempotency-Key: b\r\n", "Idempotency-Key: a\r\nIdempotency-Key: a\r\n")) {
            RawHttp.Answer answer = rawPost("Content-Type: application/json\r\n" + header, json);
            assertEquals(422, answer.status(), header + answer.body());
            assertEquals(List.of("invalid_idempotency_key"), JsonPath.from(answer.body()).getList("errors"), answer.body());
        }
        alice.api().contentType(ContentType.JSON).header("Idempotency-Key", "")
                .body(body("message", "hi", "message_group_uuid", group)).post("/api/messages")
                .then().statusCode(422).body("errors", equalTo(List.of("invalid_idempotency_key")));
        // One 422 lists every broken rule, the body's and the key's.
        alice.api().contentType(ContentType.JSON).header("Idempotency-Key", "")
                .body(body("message", " ", "message_group_uuid", group, "handle", bob.handle())).post("/api/messages")
                .then().statusCode(422)
                .body("errors", equalTo(List.of("message_blank", "recipient_ambiguous", "invalid_idempotency_key")));
        assertNothingStored();
    }

    @Test
    void wrongMediaType() {
        alice.api().contentType(ContentType.TEXT).body("hello").post("/api/messages")
                .then().statusCode(415).contentType("application/problem+json").body("code", equalTo("unsupported_media_type"));
        alice.api().contentType("application/x-www-form-urlencoded").body("message=hi&handle=" + bob.handle())
                .post("/api/messages").then().statusCode(415);
        assertNothingStored();
    }

    @Test
    void aOneMegabyteBody() {
        String huge = "{\"message\":\"" + "a".repeat(1024 * 1024) + "\",\"message_group_uuid\":\"" + group + "\"}";
        alice.api().contentType(ContentType.JSON).body(huge).post("/api/messages")
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("body_too_large"));
        assertNothingStored();
    }

    @Test
    void badPagingParameters() {
        for (String limit : List.of("0", "-1", "101", "abc", "1e3", "99999999999999")) {
            alice.api().queryParam("limit", limit).get("/api/messages/" + group)
                    .then().statusCode(422).body("errors", equalTo(List.of("invalid_limit")));
        }
        for (String cursor : List.of("x", "!!!", "bm90IGEgdGltZXN0YW1w", "MjAyNi0xMS0yNA", "a".repeat(500))) {
            alice.api().queryParam("cursor", cursor).get("/api/message_groups")
                    .then().statusCode(422).body("errors", equalTo(List.of("invalid_cursor")));
        }
    }

    @Test
    void badIdempotencyKeys() {
        for (String key : List.of("has space", "x".repeat(201), "café", "tab\there")) {
            Response response = alice.api().contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body(body("message", "hi", "message_group_uuid", group)).post("/api/messages");
            response.then().statusCode(422).body("errors", equalTo(List.of("invalid_idempotency_key")));
        }
        assertNothingStored();
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        alice.api().get("/api/nothing-here").then().statusCode(404);
        alice.api().delete("/api/messages/" + group).then().statusCode(405).contentType("application/problem+json");
        assertNothingStored();
    }

    /** A POST over a plain socket with the given header lines (each ending in CRLF) besides the token. */
    private RawHttp.Answer rawPost(String headers, byte[] body) {
        return RawHttp.send(RestAssured.port, "POST /api/messages HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + alice.token() + "\r\n" + headers
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n", body);
    }

    /** Text parts as UTF-8 and byte parts as they are, one after the other. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] raw ? raw : ((String) part).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private void assertNothingStored() {
        assertEquals(List.of("hello"), messages(alice, group).stream().map(m -> m.get("message")).toList());
        assertEquals(1, groups(alice).size());
        assertEquals(1, groups(bob).size());
        assertEquals("hello", groups(bob).get(0).get("message"));
    }

    private void rejected(Map<String, String> body, String code) {
        send(body).then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("code", equalTo("validation_failed"))
                .body("errors", equalTo(List.of(code)));
    }

    private void rejectedRaw(String json, String code) {
        alice.api().contentType(ContentType.JSON).body(json).post("/api/messages")
                .then().statusCode(422).body("errors", equalTo(List.of(code)));
    }

    private Response send(Map<String, String> body) {
        return alice.api().contentType(ContentType.JSON).body(body).post("/api/messages");
    }

    private static Map<String, String> body(String... keysAndValues) {
        Map<String, String> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }
}
