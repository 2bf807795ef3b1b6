package app.cruddur.messages.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.FrontendSettings;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer refuses before a service method runs answers as a problem document too: a
 * wrong method (with Allow), a refused origin, an endpoint nobody may call; and the public profile
 * needs no token but refuses a bad one.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class HttpProblemsTest {

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
        problem(given().header("Origin", FrontendSettings.ORIGIN).header("Access-Control-Request-Method", "DELETE")
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

    private static ValidatableResponse problem(ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("code", equalTo(code));
    }
}
