package app.cruddur.messages.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Readiness follows DynamoDB Local and PostgreSQL going away and coming back, without a restart. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ReadinessTest {

    private static final String DYNAMODB_CHECK = "DynamoDB table cruddur-messages";
    private static final String POSTGRES_CHECK = "Reactive PostgreSQL connections health check";

    @Test
    void livenessAndReadinessAreUp() {
        given().when().get("/q/health/live").then().statusCode(200);
        Response ready = given().when().get("/q/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("UP", checkStatus(ready.jsonPath(), DYNAMODB_CHECK));
        assertEquals("UP", checkStatus(ready.jsonPath(), POSTGRES_CHECK));
    }

    @Test
    void readinessFollowsDynamoDb() {
        Tokens.stack().command("stop dynamodb");
        try {
            awaitReadiness(503, json -> "DOWN".equals(checkStatus(json, DYNAMODB_CHECK)));
        } finally {
            Tokens.stack().command("start dynamodb");
        }
        awaitReadiness(200, json -> "UP".equals(checkStatus(json, DYNAMODB_CHECK)));
    }

    @Test
    void readinessFollowsPostgres() {
        Tokens.stack().command("stop postgres");
        try {
            awaitReadiness(503, json -> "DOWN".equals(checkStatus(json, POSTGRES_CHECK)));
            // A request that needs PostgreSQL meanwhile gets a clean 503, not a 500.
            Tokens.cognitoUser("outage");
            given().header("Authorization", "Bearer " + Tokens.accessToken("outage")).when().get("/api/me")
                    .then().statusCode(503).contentType("application/problem+json");
        } finally {
            Tokens.stack().command("start postgres");
        }
        awaitReadiness(200, json -> "UP".equals(checkStatus(json, POSTGRES_CHECK)));
    }

    private static void awaitReadiness(int status, Predicate<JsonPath> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = given().when().get("/q/health/ready");
            if (last.statusCode() == status && condition.test(last.jsonPath())) {
                return;
            }
            pause();
        }
        fail("readiness did not become " + status + " within 30 s; last: " + (last == null ? "none" : last.asString()));
    }

    private static String checkStatus(JsonPath json, String name) {
        return json.getString("checks.find { it.name == '" + name + "' }.status");
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
