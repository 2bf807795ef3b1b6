package app.cruddur.messages.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.cruddur.messages.support.FrontendSettings;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RawHttp;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer refuses before a service method runs answers as a problem document too: a
 * wrong method (with Allow), a refused origin, an endpoint nobody may call, a request without one
 * Host header (sent over a plain socket; such answers name nothing internal); and the public
 * profile needs no token but refuses a bad one.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class HttpProblemsTest {

    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    @Inject
    UserRepository users;

    private TestUser alice;

    @BeforeEach
    void registerUser() {
        alice = TestUsers.register(users, "http");
    }

    @Test
    void aWrongMethodIs405WithTheMethodsThePathAllows() {
        Map<String, String> allowed = Map.of(
                "/api/message_groups", "GET, HEAD, OPTIONS",
                "/api/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399", "GET, HEAD, OPTIONS",
                "/api/messages", "OPTIONS, POST",
                "/api/users/@bayko/short", "GET, HEAD, OPTIONS",
                "/api/me", "GET, HEAD, OPTIONS");
        allowed.forEach((path, allow) -> {
            for (String method : new String[] {"DELETE", "PUT", "PATCH"}) {
                problem(alice.api().request(method, path).then(), 405, "method_not_allowed").header("Allow", equalTo(allow));
            }
        });
        problem(alice.api().get("/api/messages").then(), 405, "method_not_allowed").header("Allow", equalTo("OPTIONS, POST"));
        // Blocking: a path the profile's /api/users/{handle}/... shadows in the router, and the list.
        for (String method : new String[] {"GET", "PUT", "PATCH"}) {
            problem(alice.api().request(method, "/api/users/@bayko/block").then(), 405, "method_not_allowed")
                    .header("Allow", equalTo("DELETE, OPTIONS, POST"));
            problem(alice.api().request(method.equals("GET") ? "POST" : method, "/api/blocks").then(), 405,
                    "method_not_allowed").header("Allow", equalTo("GET, HEAD, OPTIONS"));
        }
        // A real 404 on a path that takes the method stays one.
        problem(alice.api().get("/api/users/@nobody-" + System.nanoTime() + "/short").then(), 404, "user_not_found");
        // A plain OPTIONS (no preflight) lists the same methods.
        allowed.forEach((path, allow) -> given().options(path).then().statusCode(204).header("Allow", equalTo(allow)));
    }

    @Test
    void anUnknownPathIsAProblem() {
        problem(alice.api().get("/api/nothing-here").then(), 404, "not_found");
    }

    @Test
    void anOriginThatIsNotConfiguredIs403() {
        problem(given().header("Origin", "https://evil.example").get("/api/users/@" + alice.handle() + "/short").then(),
                403, "cors_rejected").header("Access-Control-Allow-Origin", nullValue());
        problem(given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/messages").then(), 403, "cors_rejected");
        problem(given().header("Origin", FrontendSettings.ORIGIN).header("Access-Control-Request-Method", "PUT")
                .options("/api/messages").then(), 403, "cors_rejected");
    }

    @Test
    void theFrontendsOriginAndTheServicesOwnPass() {
        given().header("Origin", FrontendSettings.ORIGIN).get("/api/users/@" + alice.handle() + "/short").then()
                .statusCode(200).header("Access-Control-Allow-Origin", FrontendSettings.ORIGIN);
        String self = "http://localhost:" + io.restassured.RestAssured.port;
        given().header("Origin", self).get("/api/users/@" + alice.handle() + "/short").then().statusCode(200);
    }

    @Test
    void anEndpointThatSaysNothingAboutWhoMayCallItIsRefused() {
        problem(alice.api().get("/api/test-only/unannotated").then(), 403, "forbidden");
        problem(given().get("/api/test-only/unannotated").then(), 401, "unauthenticated");
    }

    @Test
    void thePublicProfileNeedsNoTokenAndMayBeCachedBriefly() {
        given().get("/api/users/@" + alice.handle() + "/short").then().statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", equalTo("public, max-age=60"))
                .body("uuid", equalTo(alice.uuid().toString()))
                .body("handle", equalTo(alice.handle()))
                .body("display_name", equalTo(alice.displayName()));
        alice.api().get("/api/users/@" + alice.handle() + "/short").then().statusCode(200)
                .header("Cache-Control", equalTo("public, max-age=60"));
        // Only the public fields: the email and the Cognito sub never leave the service.
        Map<String, Object> body = given().get("/api/users/@" + alice.handle() + "/short").then().extract().jsonPath().getMap("");
        assertEquals(3, body.size(), body.toString());
    }

    @Test
    void thePublicProfileRefusesABadTokenAndAnswersAnUnknownHandleWithAProblem() {
        problem(given().header("Authorization", "Bearer null").get("/api/users/@" + alice.handle() + "/short").then(),
                401, "invalid_token");
        problem(given().get("/api/users/@nobody-" + System.nanoTime() + "/short").then(), 404, "user_not_found")
                .header("Cache-Control", nullValue());
    }

    @Test
    void aRequestWithoutOneHostIsA400ProblemThatNamesNothingInternal() {
        String me = "Authorization: Bearer " + alice.token() + "\r\n";
        List<String> heads = List.of(
                "GET /api/me HTTP/1.1\r\n" + me,
                "GET /api/me HTTP/1.1\r\nHost: localhost\r\nHost: elsewhere\r\n" + me,
                "GET /api/me HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n" + me,
                "GET /api/me HTTP/1.1\r\nHost:\r\n" + me,
                "GET /api/me HTTP/1.1\r\nHost: local host\r\n" + me,
                "GET /api/users/@" + alice.handle() + "/short HTTP/1.1\r\n",
                "GET /api/message_groups HTTP/1.1\r\nOrigin: " + FrontendSettings.ORIGIN + "\r\n" + me,
                "OPTIONS /api/messages HTTP/1.1\r\n",
                "GET /api/nothing-here HTTP/1.1\r\n",
                "GET /q/health/live HTTP/1.1\r\n",
                "GET /q/openapi HTTP/1.1\r\n",
                "GET / HTTP/1.1\r\n");
        for (String head : heads) {
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, head + "Connection: close\r\n");
            assertEquals(400, answer.status(), head + answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"), head);
            assertEquals("malformed_request", JsonPath.from(answer.body()).getString("code"), head + answer.body());
            assertNamesNothingInternal(answer);
        }
        byte[] body = "{\"message\":\"hi\",\"handle\":\"nobody\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer post = RawHttp.send(RestAssured.port, "POST /api/messages HTTP/1.1\r\n" + me
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n", body);
        assertEquals(400, post.status(), post.body());
        assertEquals("malformed_request", JsonPath.from(post.body()).getString("code"));
        assertNamesNothingInternal(post);
    }

    @Test
    void aRequestTargetThatIsNotAPathIsA404Problem() {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, "OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        assertEquals(404, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals("not_found", JsonPath.from(answer.body()).getString("code"));
        assertNamesNothingInternal(answer);
    }

    @Test
    void aBugIsA500ProblemThatNamesNothingInternal() {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port,
                "GET /api/test-only/failing HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close\r\n");
        assertEquals(500, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals("internal_error", JsonPath.from(answer.body()).getString("code"));
        assertNamesNothingInternal(answer);
        assertFalse(answer.body().contains("internal detail"), answer.body());
    }

    @Test
    void theManagementPortAnswersAMissingHostWithAProblemToo() {
        RawHttp.Answer answer = RawHttp.send(management.getPort(), "GET /q/health HTTP/1.1\r\nConnection: close\r\n");
        assertEquals(400, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertNamesNothingInternal(answer);
    }

    @Test
    void http10NeedsNoHost() {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port,
                "GET /api/users/@" + alice.handle() + "/short HTTP/1.0\r\n");
        assertEquals(200, answer.status(), answer.body());
        assertEquals(alice.handle(), JsonPath.from(answer.body()).getString("handle"));
    }

    /** No class, package, stack frame or error page of the framework or the service in an answer. */
    static void assertNamesNothingInternal(RawHttp.Answer answer) {
        for (String internal : List.of("Exception", "\tat ", "io.vertx", "io.quarkus", "java.", "jakarta.", "org.jboss",
                "app.cruddur", "<html")) {
            assertFalse(answer.body().contains(internal), internal + " in " + answer.body());
        }
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("code", equalTo(code));
    }
}
