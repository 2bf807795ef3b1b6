package app.cruddur.messages.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.user.UserRepository;
import jakarta.inject.Inject;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Readiness follows DynamoDB Local and PostgreSQL going away and coming back, without a restart. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ReadinessTest {

    /** Health is on the management interface, a port of its own. */
    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private static final String DYNAMODB_CHECK = "DynamoDB table cruddur-messages";
    private static final String POSTGRES_CHECK = "PostgreSQL";

    @Inject
    UserRepository users;

    @Test
    void livenessAndReadinessAreUp() {
        given().port(management.getPort()).when().get("/q/health/live").then().statusCode(200);
        Response ready = given().port(management.getPort()).when().get("/q/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("UP", checkStatus(ready.jsonPath(), DYNAMODB_CHECK));
        assertEquals("UP", checkStatus(ready.jsonPath(), POSTGRES_CHECK));
    }

    @Test
    void readinessFollowsDynamoDb() {
        TestUser user = TestUsers.register(users, "dynamo");
        user.api().get("/api/message_groups").then().statusCode(200);
        Tokens.stack().command("stop dynamodb");
        try {
            awaitReadiness(503, json -> "DOWN".equals(checkStatus(json, DYNAMODB_CHECK)));
            // Messaging meanwhile gets a clean 503 that says to retry.
            user.api().get("/api/message_groups").then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1").body("code", equalTo("dependency_unavailable"));
        } finally {
            Tokens.stack().command("start dynamodb");
        }
        awaitReadiness(200, json -> "UP".equals(checkStatus(json, DYNAMODB_CHECK)));
        user.api().get("/api/message_groups").then().statusCode(200);
    }

    @Test
    void readinessFollowsPostgres() {
        TestUser known = TestUsers.register(users, "cached");
        known.api().get("/api/message_groups").then().statusCode(200);
        Tokens.stack().command("stop postgres");
        try {
            awaitReadiness(503, json -> "DOWN".equals(checkStatus(json, POSTGRES_CHECK)));
            // A caller seen before is cached: its requests need no PostgreSQL query at all.
            known.api().get("/api/message_groups").then().statusCode(200);
            known.api().get("/api/me").then().statusCode(200).body("handle", equalTo(known.handle()));
            // A request that needs PostgreSQL meanwhile gets a clean 503, not a 500.
            Tokens.cognitoUser("outage");
            given().header("Authorization", "Bearer " + Tokens.accessToken("outage")).when().get("/api/me")
                    .then().statusCode(503).contentType("application/problem+json");
        } finally {
            Tokens.stack().command("start postgres");
        }
        awaitReadiness(200, json -> "UP".equals(checkStatus(json, POSTGRES_CHECK)));
    }

    private void awaitReadiness(int status, Predicate<JsonPath> condition) {
        AtomicReference<Response> last = new AtomicReference<>();
        Await.until(Duration.ofSeconds(30), () -> {
            Response ready = given().port(management.getPort()).when().get("/q/health/ready");
            last.set(ready);
            return ready.statusCode() == status && condition.test(ready.jsonPath());
        }, () -> "readiness did not become " + status + "; last: " + (last.get() == null ? "none" : last.get().asString()));
    }

    private static String checkStatus(JsonPath json, String name) {
        return json.getString("checks.find { it.name == '" + name + "' }.status");
    }
}
